/**
 * Behaviours no public source settles (/work/shared/api/README.md, "What no public source
 * settles"): the emulator offers each plausible answer, so the nodes can be tested under all of
 * them. Each switch is an option (`startEmulator({ variants })`, or `emulator.quirks.<name>` at
 * run time) and an environment variable; the variable applies to every emulator of the process
 * (that is how CI runs the node and trigger suites under each variant: .ci/variants.sh), an
 * explicit option wins over it. emulator/README.md says what each default rests on.
 */

export const VARIANT_VALUES = {
	/** Which id the index endpoints (`/api/v1/indexes/{index_id}`) accept. */
	indexIds: ['id', 'export_config_id', 'either'],
	/** A new file (add, upload, rename, move) with a unique_id a live file of the directory has. */
	duplicateUniqueId: ['conflict', 'replace', 'keep_both'],
	/**
	 * Order of list items: `updated` (files by updated_at, directories and indexes by created_at,
	 * oldest first), `created` (everything by created_at, oldest first), `newest_first`
	 * (everything by created_at, newest first).
	 */
	listOrder: ['updated', 'created', 'newest_first'],
	/** `keyset` (after the last item's sort key) or `offset` (a position: items shift under it). */
	pageTokens: ['keyset', 'offset'],
	/** Whether a soft delete bumps the file's updated_at (`touch`) or only sets deleted_at. */
	softDelete: ['touch', 'keep_updated_at'],
	/**
	 * Intermediate build statuses in `index.metadata.status`: `queued_running` (queued, running),
	 * `other` (statuses no client knows: `pending`, `syncing`), `absent` (no status until a build ends).
	 */
	buildStatuses: ['queued_running', 'other', 'absent'],
	/**
	 * What else `index.metadata` carries: `minimal` (status and, on failure, error_message: what the
	 * spec and LlamaCloud's sample code show) or `detailed` (the emulator's own build counters and
	 * per-file diagnostics besides).
	 */
	buildMetadata: ['minimal', 'detailed'],
	/** Whether last_synced_at moves when a build fails (it always moves on success). */
	failedBuildSyncTime: ['keep', 'move'],
	/** A sync while a build is queued or running: 409, 429, or accepted (one more build follows). */
	syncWhileBuilding: ['conflict', 'rate_limited', 'coalesce'],
	/** Whether 429 answers carry Retry-After. */
	retryAfter: ['seconds', 'none'],
	/** An upload over the size limit: 413 with a JSON detail, a proxy's 413 HTML page, or 400. */
	oversizeUpload: ['json_413', 'proxy_413', 'bad_request'],
	/** Deleting an index removes its output directory too (`output_directory`), or only the index. */
	indexDeleteCascade: ['output_directory', 'index_only'],
} as const;

export type VariantName = keyof typeof VARIANT_VALUES;
export type EmulatorVariants = { -readonly [K in VariantName]: (typeof VARIANT_VALUES)[K][number] };

export const VARIANT_DEFAULTS: EmulatorVariants = {
	indexIds: 'id',
	duplicateUniqueId: 'conflict',
	listOrder: 'updated',
	pageTokens: 'keyset',
	softDelete: 'touch',
	buildStatuses: 'queued_running',
	buildMetadata: 'minimal',
	failedBuildSyncTime: 'keep',
	syncWhileBuilding: 'conflict',
	retryAfter: 'seconds',
	oversizeUpload: 'json_413',
	indexDeleteCascade: 'output_directory',
};

/** `indexIds` → `LLAMACLOUD_EMULATOR_INDEX_IDS`. */
export function variantEnvName(name: VariantName): string {
	return `LLAMACLOUD_EMULATOR_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

type Env = Record<string, string | undefined>;

/** The variants set in the environment; a value that is not one of the choices throws, naming it. */
export function variantsFromEnv(env: Env = process.env): Partial<EmulatorVariants> {
	const found: Partial<Record<VariantName, string>> = {};
	for (const name of Object.keys(VARIANT_VALUES) as VariantName[]) {
		const variable = variantEnvName(name);
		const value = env[variable]?.trim();
		if (!value) continue;
		const choices: readonly string[] = VARIANT_VALUES[name];
		if (!choices.includes(value))
			throw new Error(`${variable} must be one of ${choices.join(', ')}; got '${value}'`);
		found[name] = value;
	}
	return found as Partial<EmulatorVariants>;
}

/** Options over environment over defaults. */
export function resolveVariants(
	options: Partial<EmulatorVariants> = {},
	env: Env = process.env,
): EmulatorVariants {
	return { ...VARIANT_DEFAULTS, ...variantsFromEnv(env), ...definedOnly(options) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The non-default variants in force, e.g. `indexIds=export_config_id` (for logs and reports). */
export function describeVariants(variants: EmulatorVariants): string {
	const changed = (Object.keys(VARIANT_DEFAULTS) as VariantName[]).filter(
		(name) => variants[name] !== VARIANT_DEFAULTS[name],
	);
	return changed.length
		? changed.map((name) => `${name}=${variants[name]}`).join(', ')
		: 'defaults';
}
