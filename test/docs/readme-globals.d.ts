// Globals that README snippets use (see the rules atop readme.test.ts). Declarations only.
import type { Context, Snapshot } from 'flagstage'

declare global {
  interface Window {
    __FLAGS__: { snapshot: Snapshot; context: Context }
  }
}
