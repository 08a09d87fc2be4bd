/** Projects of the key: `/api/v1/projects` (what credential tests call). */
import { HttpError } from '../errors';
import { ok, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import { PathUuid, ProjectListSchema, ProjectSchema } from '../schemas';
import { toProject } from '../serialize';

export function addProjectRoutes(router: Router<Handler>): void {
	router.add('GET', '/api/v1/projects', async (ctx) => {
		const { project_name } = parseInput(ctx.app.queries.projects, ctx.query, 'query');
		// organization_id was validated by the server; here it narrows the list. The spec gives
		// this endpoint no project_id: like any unknown query parameter it is ignored.
		const { organization_id } = ctx.query as Record<string, string | undefined>;
		const projects = ctx.app.store
			.listProjects()
			.filter(
				(p) =>
					(organization_id === undefined || p.organization_id === organization_id) &&
					(project_name === undefined || p.name === project_name),
			);
		return ok(projects.map(toProject), ProjectListSchema);
	});

	router.add('GET', '/api/v1/projects/:project_id', async (ctx) => {
		const id = parseInput(PathUuid, pathParam(ctx, 'project_id'), 'path');
		const project = ctx.app.store.listProjects().find((p) => p.id === id);
		if (!project) throw HttpError.notFound(`Project ${id} not found`);
		const { organization_id } = ctx.query as Record<string, string | undefined>;
		if (organization_id !== undefined && project.organization_id !== organization_id)
			throw new HttpError(403, `Project ${id} does not belong to organization ${organization_id}`);
		return ok(toProject(project), ProjectSchema);
	});
}
