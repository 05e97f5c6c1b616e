/**
 * The k best (score, position) pairs seen so far, as a binary min-heap over typed arrays
 * whose root is the worst kept pair. Worse = lower score, or equal score and a later
 * position (positions follow id order, so ties resolve to the smaller id).
 */
export class TopK {
  private scores: Float64Array;
  private items: Int32Array;
  size = 0;
  limit = 0;

  constructor(capacity: number) {
    this.scores = new Float64Array(capacity);
    this.items = new Int32Array(capacity);
  }

  reset(limit: number): void {
    if (limit > this.scores.length) {
      this.scores = new Float64Array(limit);
      this.items = new Int32Array(limit);
    }
    this.limit = limit;
    this.size = 0;
  }

  /** The score a new pair must beat (or tie with a smaller position) to enter; -1 while not full. */
  get floor(): number {
    return this.size < this.limit ? -1 : this.scores[0]!;
  }

  /** The worst kept score (the only one when the limit is 1); -1 when empty. */
  get top(): number {
    return this.size === 0 ? -1 : this.scores[0]!;
  }

  offer(score: number, item: number): void {
    const s = this.scores;
    const it = this.items;
    if (this.size < this.limit) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (s[p]! < score || (s[p] === score && it[p]! > item)) break;
        s[i] = s[p]!;
        it[i] = it[p]!;
        i = p;
      }
      s[i] = score;
      it[i] = item;
      return;
    }
    if (this.limit === 0 || score < s[0]! || (score === s[0] && item > it[0]!)) return;
    this.siftDown(score, item);
  }

  /** Puts (score, item) at the root and sifts it down to its place. */
  private siftDown(score: number, item: number): void {
    const s = this.scores;
    const it = this.items;
    const n = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (s[r]! < s[l]! || (s[r] === s[l] && it[r]! > it[l]!))) c = r;
      if (score < s[c]! || (score === s[c] && item > it[c]!)) break;
      s[i] = s[c]!;
      it[i] = it[c]!;
      i = c;
    }
    s[i] = score;
    it[i] = item;
  }

  /**
   * Moves the kept pairs, best first, into `scores`/`items` (grown when needed) and
   * returns how many; no per-pair objects, since the batch drains once per seeker.
   */
  drainInto(out: { scores: Float64Array; items: Int32Array }): number {
    const n = this.size;
    if (out.scores.length < n) {
      out.scores = new Float64Array(n);
      out.items = new Int32Array(n);
    }
    // Pop the worst repeatedly, filling from the end.
    for (let k = n - 1; k >= 0; k--) {
      out.scores[k] = this.scores[0]!;
      out.items[k] = this.items[0]!;
      const last = --this.size;
      if (last > 0) this.siftDown(this.scores[last]!, this.items[last]!);
    }
    this.size = 0;
    return n;
  }
}
