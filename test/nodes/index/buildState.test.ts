/**
 * The build state as the node reads it (actions/index/buildState.ts, used by Get and Sync) and as
 * the emulator writes it: one vocabulary, the failure reason, which statuses end a build.
 */
import * as emulatorBuildState from '../../../emulator/buildState';
import * as nodeBuildState from '../../../nodes/LlamaCloud/actions/index/buildState';

describe('build state vocabulary', () => {
	test('the node and the emulator name the build state the same way', () => {
		expect(nodeBuildState.BUILD_STATUS_FIELD).toBe(emulatorBuildState.BUILD_STATUS_FIELD);
		expect(nodeBuildState.BUILD_ERROR_FIELD).toBe(emulatorBuildState.BUILD_ERROR_FIELD);
		expect(nodeBuildState.BUILD_DIAGNOSTICS_FIELD).toBe(emulatorBuildState.BUILD_DIAGNOSTICS_FIELD);
		expect(nodeBuildState.BUILD_PENDING_SYNC_FIELD).toBe(
			emulatorBuildState.BUILD_PENDING_SYNC_FIELD,
		);
		expect(nodeBuildState.BUILD_STATUS).toEqual({
			ready: emulatorBuildState.BUILD_STATUS.ready,
			failed: emulatorBuildState.BUILD_STATUS.failed,
		});
		expect(nodeBuildState.FAILED_FILE_STATUS).toBe(
			emulatorBuildState.FILE_DIAGNOSTIC_STATUS.failed,
		);
	});

	test('a failure reason is read from metadata.error_message, as LlamaCloud’s sample code does', () => {
		const state = nodeBuildState.readBuildState({
			metadata: { status: 'failed', error_message: 'Parsing failed for report.pdf' },
		});
		expect(state).toMatchObject({ failed: true, reason: 'Parsing failed for report.pdf' });
	});

	test('only ready and failed end a build: any other status, or none, is a build in progress', () => {
		for (const metadata of [{ status: 'pending' }, { status: 'SYNCING' }, {}]) {
			const state = nodeBuildState.readBuildState({ metadata });
			expect([state.ready, state.failed]).toEqual([false, false]);
		}
		// A ready → failed transition is told apart without keys only the emulator writes.
		const before = nodeBuildState.readBuildState({ metadata: { status: 'ready' } });
		const after = nodeBuildState.readBuildState({ metadata: { status: 'failed' } });
		expect(after.marker).not.toBe(before.marker);
	});
});
