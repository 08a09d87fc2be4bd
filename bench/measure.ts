/**
 * Time, CPU and memory of one measured call in a bench child (upload-child.ts, mirror-child.ts):
 * each child measures in a fresh process, so its all-time peak RSS bounds the call's peak.
 */
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MemoryFigures {
	/** RSS right before the measured upload (after a warm-up upload). */
	baseline: number;
	/** Highest RSS seen by a 25 ms sampler during the upload (a lower bound of the peak). */
	sampledPeak: number;
	/** process.resourceUsage().maxRSS before and after: the process's all-time peak. */
	maxRssBefore: number;
	maxRssAfter: number;
	/**
	 * The figure reported: maxRSS after the upload minus RSS before it. It can only overstate
	 * the upload's own peak (maxRSS also covers anything earlier in the process).
	 */
	peakIncrease: number;
}

export async function measureMemory<T>(
	fn: () => Promise<T>,
): Promise<{ result: T; ms: number; memory: MemoryFigures }> {
	// No forced GC here: global.gc() leaves V8 with tight heap limits, after which a streaming
	// upload meets a full GC every few megabytes (measured: 3x the CPU). Real processes don't.
	await sleep(50);
	const baseline = process.memoryUsage.rss();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	let sampledPeak = baseline;
	// Sparse sampling: reading RSS costs a /proc read, and maxRSS below gives the bound anyway.
	const sampler = setInterval(() => {
		sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
	}, 25);
	let result!: T;
	const ms = await timed(async () => {
		result = await fn();
	});
	clearInterval(sampler);
	sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	return {
		result,
		ms,
		memory: {
			baseline,
			sampledPeak,
			maxRssBefore,
			maxRssAfter,
			peakIncrease: Math.max(maxRssAfter, sampledPeak) - baseline,
		},
	};
}

/** CPU and GC time over the timed runs, reported with the result. */
export const timedCpu = { user: 0, system: 0, gc: 0, majorGcs: 0 };
let timing = false;
new PerformanceObserver((list) => {
	if (!timing) return;
	for (const entry of list.getEntries()) {
		timedCpu.gc += entry.duration;
		if (
			(entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR
		)
			timedCpu.majorGcs++;
	}
}).observe({ entryTypes: ['gc'] });

export async function timed<T>(fn: () => Promise<T>): Promise<number> {
	const cpu = process.cpuUsage();
	const started = performance.now();
	timing = true;
	await fn();
	timing = false;
	const ms = performance.now() - started;
	const used = process.cpuUsage(cpu);
	timedCpu.user += used.user / 1000;
	timedCpu.system += used.system / 1000;
	return ms;
}
