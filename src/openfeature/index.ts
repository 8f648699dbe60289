// Public entry of 'flagstage/openfeature': an explicit list, values first, then types, grouped by file.
// Core is reached only as 'flagstage' (external in the build: one core instance).

export {}
