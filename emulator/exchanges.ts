/**
 * Every request the emulator answers, with its answer, handed to whoever listens (the test
 * suites check each one against the OpenAPI spec: test/support/spec.ts). Process-wide, so a
 * listener sees the exchanges of every emulator a test file starts. Nobody listening costs
 * nothing: exchanges are only assembled while a listener is registered.
 */
import type { Exchange } from './spec/validator';

export interface ObservedExchange extends Exchange {
	/** Base URL of the emulator that answered. */
	emulator: string;
	/** Whether the route read the body: errors raised before (404, 401) leave it unread. */
	bodyRead: boolean;
	/** Injected fault, if any: its answer is the fault's, not the API's. */
	fault?: string;
}

export type ExchangeListener = (exchange: ObservedExchange) => void;

const listeners = new Set<ExchangeListener>();

/** Registers a listener; returns the function that removes it. */
export function observeExchanges(listener: ExchangeListener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function isObserved(): boolean {
	return listeners.size > 0;
}

export function publishExchange(exchange: ObservedExchange): void {
	for (const listener of listeners) listener(exchange);
}
