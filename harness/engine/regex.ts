/**
 * n8n-workflow 2.41 runs the regular expressions of node descriptions (resource locator
 * validation, `extractValue`) in a node:vm context with a 250 ms wall-clock budget, against
 * catastrophic backtracking. On a machine whose cores are shared by several test runs, a
 * trivial pattern can miss that budget while its process waits for a core, and the run fails
 * with "Regular expression execution timed out" now and then. The harness keeps the vm
 * isolation and the timeout, with a budget no starved process misses; a pattern that really
 * backtracks catastrophically still times out.
 */
import { setSafeRegexEngine, type RegexEngine } from 'n8n-workflow';
import { createContext, Script } from 'node:vm';

const BUDGET_MS = 10_000;

const withGlobal = (flags = '') => (flags.includes('g') ? flags : `${flags}g`);

function vmRegexEngine(): RegexEngine {
	const context = {
		pattern: '',
		input: '',
		flags: '',
		replacement: '',
		result: undefined as unknown,
	};
	const vmContext = createContext(context);
	const script = (code: string) => new Script(`result = ${code}`);
	const scripts = {
		exec: script('new RegExp(pattern, flags).exec(input)'),
		test: script('new RegExp(pattern, flags).test(input)'),
		replace: script('input.replace(new RegExp(pattern, flags), replacement)'),
		matchAll: script('Array.from(input.matchAll(new RegExp(pattern, flags)))'),
		split: script('input.split(new RegExp(pattern, flags))'),
	};
	const run = <T>(
		which: keyof typeof scripts,
		pattern: string,
		input: string,
		flags = '',
		replacement = '',
	): T => {
		context.pattern = pattern;
		context.input = input;
		context.flags = flags;
		context.replacement = replacement;
		context.result = undefined;
		try {
			scripts[which].runInContext(vmContext, { timeout: BUDGET_MS });
		} catch (error) {
			if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
				throw new Error('Regular expression execution timed out');
			throw error;
		}
		return context.result as T;
	};
	return {
		exec: (pattern, input, flags) => run('exec', pattern, input, flags),
		test: (pattern, input, flags) => run('test', pattern, input, flags),
		replace: (pattern, input, flags, replacement) =>
			run('replace', pattern, input, flags, replacement),
		matchAll: (pattern, input, flags) => run('matchAll', pattern, input, withGlobal(flags)),
		split: (pattern, input, flags) => run('split', pattern, input, flags),
	};
}

let installed = false;

/** Installs the engine once per module registry (per jest test file). */
export function useRegexBudget(): void {
	if (installed) return;
	installed = true;
	setSafeRegexEngine(vmRegexEngine());
}
