// Runs this package's nodes inside n8n-core's real engine, in-process (see harness/README.md).
export { runWorkflow, runNode } from './run';
export type { RunWorkflowOptions, WorkflowRun, RunNodeOptions, NodeRunResult } from './run';
export { pollOnce } from './poll';
export { listSearch } from './list-search';
export type { ListSearchOptions } from './list-search';
export { recorded, findSecret, reachableStrings } from './records';
export type { Recorded } from './records';
export type { PollOnceOptions, PollResult } from './poll';
export { testCredential } from './credential-test';
export {
	useBinaryDataMode,
	removeBinaryData,
	makeBinaryItem,
	makeStoredBinaryItem,
	generateBytes,
} from './binary';
export type { BinaryDataMode, BinaryItemOptions } from './binary';
export { HarnessCredentialsHelper, credentialRef } from './credentials';
export type { CredentialsByType, CredentialTypeInput } from './credentials';
export {
	HarnessStart,
	START_NODE_TYPE,
	PACKAGE_NAME,
	makeNodeTypes,
	prepareNodeType,
	typeNameOf,
} from './node-types';
export type { AnyNodeType } from './node-types';
