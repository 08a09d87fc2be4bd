/**
 * Once per e2e run: the real n8n must be installed and the package built, or every test would
 * fail with a less helpful message.
 */
import { ensureInstalled, missingBuildFiles } from '../../harness/n8n';

export default function globalSetup(): void {
	ensureInstalled(); // instant when .cache/n8n is complete
	const missing = missingBuildFiles();
	if (missing.length > 0) {
		throw new Error(
			`the package is not built (missing ${missing.join(', ')}); run \`npm run build\` first`,
		);
	}
}
