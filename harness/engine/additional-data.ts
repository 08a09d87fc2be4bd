import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ErrorReporter, ExternalSecretsProxy } from 'n8n-core';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { LoggerProxy, UnexpectedError } from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials';
import { record } from './records';
import { useRegexBudget } from './regex';

const verbose = () => Boolean(process.env.HARNESS_VERBOSE);

type Level = 'error' | 'warn' | 'info' | 'debug';

function recordingLogger() {
	const log = (level: Level) => (message: unknown, meta?: unknown) => {
		record(`log:${level}`, { message, meta });
		// eslint-disable-next-line no-console
		if (verbose()) console[level === 'debug' ? 'log' : level](message, meta ?? '');
	};
	const logger = {
		error: log('error'),
		warn: log('warn'),
		info: log('info'),
		debug: log('debug'),
		scoped: () => logger,
	};
	return logger;
}

let installed = false;

/**
 * Replaces n8n's Logger (what `this.logger` of a node resolves to), LoggerProxy (the engine's)
 * and ErrorReporter (which the engine tells about every node error) with recorders. The
 * engine's reports stay quiet unless HARNESS_VERBOSE is set.
 */
function installRecorders(): void {
	if (installed) return;
	installed = true;
	const logger = recordingLogger();
	Container.set(Logger, logger as unknown as Logger);
	LoggerProxy.init(logger);
	const report = (level: string) => (error: unknown, options?: unknown) => {
		record(`report:${level}`, { error, options });
		// eslint-disable-next-line no-console
		if (verbose()) console.error(error);
	};
	Container.set(ErrorReporter, {
		error: report('error'),
		warn: report('warn'),
		info: report('info'),
	} as unknown as ErrorReporter);
}

/**
 * The engine reports every node error to ErrorReporter, which logs it with its stack; the
 * error is in the run data anyway, so tests stay quiet unless HARNESS_VERBOSE is set. The
 * reports, and everything logged, are recorded for the secrets check (./records).
 */
export function quietEngineReports(): void {
	installRecorders();
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
	useRegexBudget();
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
