// Setup for the `dom` project (happy-dom): unmount what each test rendered (no vitest globals,
// so @testing-library/react cannot register its own afterEach).
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

afterEach(() => {
  cleanup()
})
