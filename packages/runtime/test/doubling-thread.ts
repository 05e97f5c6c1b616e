/** A CPU pool's module for cpu-pool.test.ts: doubles numbers (taking -x ms over a negative one), or cannot start. */
export default function doublingThread(data: { startable: boolean }): (x: number) => number {
  if (!data.startable) throw new Error('this thread cannot start');
  return (x) => {
    const until = Date.now() - x;
    while (x < 0 && Date.now() < until);
    return x * 2;
  };
}
