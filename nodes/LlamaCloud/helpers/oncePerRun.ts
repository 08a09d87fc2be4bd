/**
 * Items of one node run that ask for the same thing get one answer. n8n runs a node once per
 * input item, and RoutingNode sends all items' requests at once: three items asking for the
 * directory "Inbox" (with Reuse Existing) each looked it up before any create finished, and made
 * three; an Index → Create after a 2-file upload made two indexes.
 *
 * Tasks with the same key run one after another. A task that succeeded answers every later
 * one; after a failure the next item tries itself (its error then names its own item). The
 * registry hangs off the node run's execute data, shared by all its items (batches included),
 * and goes with it.
 */
import type { IExecuteData } from 'n8n-workflow';

type Settled = { ok: true; value: unknown } | { ok: false };

const runs = new WeakMap<IExecuteData, Map<string, Promise<Settled>>>();

export async function oncePerRun<T>(
	ctx: { getExecuteData(): IExecuteData },
	key: string,
	task: () => Promise<T>,
): Promise<T> {
	const run = ctx.getExecuteData();
	if (!run) return await task();
	let tasks = runs.get(run);
	if (!tasks) runs.set(run, (tasks = new Map()));
	const previous = tasks.get(key);
	const mine = (async () => {
		const before = previous ? await previous : undefined;
		if (before?.ok) return before.value as T;
		return await task();
	})();
	tasks.set(
		key,
		mine.then(
			(value): Settled => ({ ok: true, value }),
			(): Settled => ({ ok: false }),
		),
	);
	return await mine;
}
