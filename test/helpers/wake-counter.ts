import type { Source, SourceHandle } from 'flagstage'

/** A running source whose handle counts `wake()` calls. */
export const wakeCounter = (): { source: Source; readonly wakes: number } => {
  let wakes = 0
  const source: Source = {
    start() {
      const stop: SourceHandle = () => {}
      stop.wake = () => void wakes++
      return stop
    },
  }
  return { source, get wakes() { return wakes } }
}
