/*
 * NAME
 *	ui_assets - the dashboard's files, built into vigil-web
 * DESCRIPTION
 *	ui_assets.c is generated from web/ui/ by scripts/embed-ui at build
 *	time: the dashboard needs nothing installed beside the binary and
 *	nothing from the network. The table ends with a NULL path.
 */
#ifndef VIGIL_UI_ASSETS_H
#define VIGIL_UI_ASSETS_H

#include <stddef.h>

struct ui_asset {
	const char *path;		/* "/" or "/ui/NAME" */
	const char *type;		/* Content-Type */
	const unsigned char *data;
	size_t len;
};

extern const struct ui_asset ui_assets[];

#endif
