// Live mode (?live): the page asks the running serve (started with --ui) for its recording every second and
// follows the newest event; "Pause" stops following so that the run can be stepped through and inspected.
import { get } from './api.js';

export class Live {
  constructor(app) {
    this.app = app; this.timer = null; this.following = true; this.shownId = -1;
    this.button = document.getElementById('live-toggle');
    this.button.addEventListener('click', () => this.toggle());
  }

  start() {
    this.button.hidden = false;
    this.button.textContent = 'Pause live';
    document.body.dataset.live = 'on';
    this.poll();
  }

  toggle() {
    this.following = !this.following;
    this.button.textContent = this.following ? 'Pause live' : 'Follow live';
    document.body.dataset.live = this.following ? 'on' : 'paused';
    if (this.following) this.poll();
  }

  async poll() {
    clearTimeout(this.timer);
    if (!this.following) return;
    try {
      const run = await get('/api/live');
      if (run.id !== this.shownId) {
        this.shownId = run.id;
        this.app.show(run);
        this.app.step(Infinity);
      }
    } catch (e) { this.app.banner(e.message, true); }
    this.timer = setTimeout(() => this.poll(), 1000);
  }
}
