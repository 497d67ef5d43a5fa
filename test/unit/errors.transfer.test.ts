import { expose, wrap } from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { installErrorTransfer } from '../../src/bridge/errorTransfer';
import { WorkbenchError } from '../../src/lib/errors';

describe('bridge: errors across the worker hop', () => {
  it('keeps the code and details of a WorkbenchError thrown on the other side', async () => {
    installErrorTransfer();
    const { port1, port2 } = new MessageChannel();
    const api = {
      fail(): number {
        throw new WorkbenchError('GPU_LIMIT', 'too big', ['detail 1']);
      },
      crash(): number {
        throw new TypeError('boom');
      },
    };
    expose(api, port1 as unknown as Parameters<typeof expose>[1]);
    const remote = wrap<typeof api>(port2 as unknown as Parameters<typeof wrap>[0]);
    const e = await remote.fail().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkbenchError);
    expect(e).toMatchObject({ code: 'GPU_LIMIT', message: 'too big', details: ['detail 1'] });
    const e2 = await remote.crash().catch((x: unknown) => x);
    expect(e2).toMatchObject({ code: 'INTERNAL', message: 'TypeError: boom' });
    port1.close();
    port2.close();
  });
});
