// Copies what tsc does not emit (icons, codex JSON) into dist/ beside the compiled nodes.
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

// Nodes refer to their icons as file:../../icons/<name>.svg, i.e. dist/icons/.
function copyIcons() {
	return src('icons/**/*.{png,svg}', { encoding: false }).pipe(dest(path.resolve('dist', 'icons')));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest(path.resolve('dist', 'nodes')));
}

task('build:icons', parallel(copyIcons, copyCodex));
