import { Container } from '@n8n/di';
import { ErrorReporter, ExternalSecretsProxy } from 'n8n-core';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials';

let quieted = false;

/**
 * The engine reports every node error to ErrorReporter, which logs it with its stack; the
 * error is in the run data anyway, so tests stay quiet unless HARNESS_VERBOSE is set.
 */
export function quietEngineReports(): void {
	if (quieted || process.env.HARNESS_VERBOSE) return;
	quieted = true;
	Container.set(ErrorReporter, { error() {}, warn() {}, info() {} } as unknown as ErrorReporter);
}

let executionCounter = 0;

/** A fresh execution id per run, so binary files of different runs land in different folders. */
export const nextExecutionId = () => `harness-${process.pid}-${++executionCounter}`;

const unsupported = (what: string) => () => {
	throw new UnexpectedError(`${what} is not available in the test harness`);
};

/**
 * What the engine reads from `additionalData` during a run. The cli builds this in
 * WorkflowExecuteAdditionalData.getBase(); only the credentials helper and hooks carry behaviour.
 */
export function makeAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
	executionId = nextExecutionId(),
): IWorkflowExecuteAdditionalData {
	quietEngineReports();
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		hooks,
		executionId,
		userId: 'harness-user',
		workflowId: 'harness-workflow',
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: unsupported('startRunnerTask'),
	} as IWorkflowExecuteAdditionalData;
}
