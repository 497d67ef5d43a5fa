import { describe, expect, it } from 'vitest';
import { csvRows } from '../../src/engine/data/ingest/csvRows';

function counted(chunks: number, line = 'a,b,c\n1,2,3\n'.repeat(40)) {
  const state = { pulled: 0 };
  async function* gen(): AsyncGenerator<string> {
    for (let i = 0; i < chunks; i++) {
      state.pulled++;
      yield await Promise.resolve(line);
    }
  }
  return { state, source: gen() };
}

describe('data: streaming CSV', () => {
  it('pulls input only as batches are consumed (memory stays near one chunk)', async () => {
    const { state, source } = counted(2000);
    const rows = csvRows(source, { fileName: 'big.csv', delimiter: ',' });
    await rows.next();
    await new Promise((r) => setTimeout(r, 50)); // time for an unpaused source to run ahead
    const afterFirst = state.pulled;
    expect(afterFirst).toBeLessThan(200); // the sniffing window (64 KiB) plus a chunk or two, not 2000
    await rows.return(undefined);
  });

  it('lets the event loop run during a long parse, so a Cancel message can arrive', async () => {
    const { source } = counted(3000);
    let timerRan = false;
    let rowsWhenTimerRan = -1;
    let rowCount = 0;
    setTimeout(() => {
      timerRan = true;
      rowsWhenTimerRan = rowCount;
    }, 0);
    for await (const batch of csvRows(source, { fileName: 'big.csv', delimiter: ',' }))
      rowCount += batch.rows.length;
    expect(timerRan).toBe(true);
    expect(rowsWhenTimerRan).toBeLessThan(rowCount);
  });
});
