/**
 * A bounded worker pool (what p-limit does, in a few lines: the package has no runtime
 * dependencies). `concurrency` workers take the next index until none is left or `stop()`
 * says so. A task that has started is always awaited, never abandoned: if one rejects, no new
 * task starts, the running ones finish, then the first rejection is thrown.
 */
export async function runPool(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<void>,
	stop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	let failed = false;
	let firstError: unknown;
	const worker = async () => {
		while (next < count && !failed && !stop()) {
			const index = next++;
			try {
				await task(index);
			} catch (error) {
				if (!failed) firstError = error;
				failed = true;
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(concurrency) || 1, count));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failed) throw firstError;
}
