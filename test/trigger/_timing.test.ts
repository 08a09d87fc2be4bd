import { request } from 'undici';
import { startEmulator } from '../../emulator';
import { LlamaCloudTrigger } from '../../nodes/LlamaCloudTrigger/LlamaCloudTrigger.node';
import { pollOnce } from '../harness';
test('timing', async () => {
  for (const validate of [true, false]) {
  const emulator = await startEmulator({ validateResponses: validate });
  const dir = emulator.store.createDirectory('x').id;
  emulator.store.seedFiles(dir, 10_000);
  let t = Date.now();
  let token: string | undefined; let pages = 0;
  do {
    const r = await request(`${emulator.url}/api/v1/beta/directories/${dir}/files?include_deleted=true&page_size=100${token ? `&page_token=${token}` : ''}`, { headers: { authorization: `Bearer ${emulator.apiKey}` } });
    const body = (await r.body.json()) as any; token = body.next_page_token ?? undefined; pages++;
  } while (token);
  console.log('validate', validate, 'raw', Date.now() - t, pages);
  const params = { directoryId: { __rl: true, mode: 'id', value: dir }, events: ['created'], options: {} };
  const creds = { llamaCloudIngestApi: { apiKey: emulator.apiKey, region: 'custom', baseUrl: emulator.url } };
  const s0 = await pollOnce({ nodeType: LlamaCloudTrigger, parameters: params, credentials: creds, staticData: {} });
  t = Date.now();
  const s1 = await pollOnce({ nodeType: LlamaCloudTrigger, parameters: params, credentials: creds, staticData: { cursor: { ...(s0.staticData.cursor as any), watermark: '2020-01-01T00:00:00.000Z' } } });
  console.log('validate', validate, 'poll', Date.now() - t, s1.items?.length);
  await emulator.close();
  }
}, 120000);
