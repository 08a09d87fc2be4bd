/** A queue per key, so that uploads of the same unique ID never race. */
/**
 * Runs tasks with the same key one after another. Items uploading the same unique ID to the
 * same directory must not race (two Replaces would each delete the other's file).
 */
export class KeyedQueue {
	private tails = new Map<string, Promise<unknown>>();

	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		const current = previous.then(task, task);
		const tail = current.then(
			() => undefined,
			() => undefined,
		);
		this.tails.set(key, tail);
		try {
			return await current;
		} finally {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}
}
