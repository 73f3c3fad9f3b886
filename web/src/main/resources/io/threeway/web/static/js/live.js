// Live mode: the page polls a running serve (started with --ui) and shows its recording as it grows.
import { get } from './api.js';

export class Live {
  constructor(app) { this.app = app; this.timer = null; }

  async start() {
    const poll = async () => {
      try {
        const run = await get('/api/live');
        const keep = this.app.cursor, at = this.app.run && this.app.run.variants[0] ? this.app.run.variants[0].events.length : 0;
        if (!this.app.run || run.variants[0].events.length !== at) {
          this.app.show(run);
          if (this.app.paused && keep >= 0) this.app.setCursor(keep);
          else this.app.step(Infinity);
        }
        this.app.banner(run.note || 'Live: watching the running stack; pause with the stepper to inspect.');
      } catch (e) { this.app.banner(e.message, true); }
      this.timer = setTimeout(poll, 1000);
    };
    poll();
  }
}
