/**
 * What a viewer watched of one video: seconds actually played (seeking does not count, nor does
 * time paused or hidden) and the furthest position reached, as a fraction of the duration.
 * Pure; the video page feeds it the player's timeupdate positions and records `content_read`
 * with dwell = watched time and depth = furthest / duration.
 */

/** timeupdate fires about four times a second while playing; a bigger jump is a seek. */
const MAX_STEP_S = 2;

export class VideoWatch {
  private watchedS = 0;
  private furthestS = 0;
  private durationS = 0;
  private lastS: number | null = null;
  /** Where the player was when it last stopped: playback resumes from there. */
  private stoppedAtS = 0;

  /** One timeupdate: the position now and the duration (0 when not known yet). */
  time(positionS: number, durationS: number): void {
    if (!Number.isFinite(positionS) || positionS < 0) return;
    if (Number.isFinite(durationS) && durationS > 0) this.durationS = durationS;
    if (this.lastS !== null) {
      const step = positionS - this.lastS;
      if (step > 0 && step <= MAX_STEP_S) this.watchedS += step;
    }
    this.lastS = positionS;
    if (positionS > this.furthestS) this.furthestS = positionS;
  }

  /** Playback started or resumed: it runs from where it stopped (the first update comes ~¼ s later). */
  play(): void {
    this.lastS = this.stoppedAtS;
  }

  /** Playback stopped (pause, end, seek, page hidden): positions until play() start a new stretch. */
  stop(): void {
    if (this.lastS !== null) this.stoppedAtS = this.lastS;
    this.lastS = null;
  }

  /**
   * Watched time since the last take (so repeated records add up) and the furthest point so
   * far; null when nothing was watched since.
   */
  take(): { dwell_ms: number; scroll_depth: number } | null {
    const dwell = Math.round(this.watchedS * 1000);
    this.watchedS = 0;
    if (dwell <= 0) return null;
    const depth = this.durationS > 0 ? Math.min(1, this.furthestS / this.durationS) : 0;
    return { dwell_ms: dwell, scroll_depth: Math.round(depth * 100) / 100 };
  }
}
