/** Projects of the key: `/api/v1/projects` (what credential tests call). */
import { HttpError } from '../errors';
import { ok, parseInput, pathParam, type Handler } from '../http';
import type { Router } from '../router';
import { ProjectListSchema, ProjectSchema } from '../schemas';
import { toProject } from '../serialize';

export function addProjectRoutes(router: Router<Handler>): void {
	router.add('GET', '/api/v1/projects', async (ctx) => {
		const { project_name } = parseInput(ctx.app.queries.projects, ctx.query, 'query');
		// project_id / organization_id were validated by the server; here they narrow the list.
		const { project_id, organization_id } = ctx.query as Record<string, string | undefined>;
		const projects = ctx.app.store
			.listProjects()
			.filter(
				(p) =>
					(project_id === undefined || p.id === project_id) &&
					(organization_id === undefined || p.organization_id === organization_id) &&
					(project_name === undefined || p.name === project_name),
			);
		return ok(projects.map(toProject), ProjectListSchema);
	});

	router.add('GET', '/api/v1/projects/:project_id', async (ctx) => {
		const id = pathParam(ctx, 'project_id');
		const project = ctx.app.store.listProjects().find((p) => p.id === id);
		if (!project) throw HttpError.notFound(`Project ${id} not found`);
		return ok(toProject(project), ProjectSchema);
	});
}
