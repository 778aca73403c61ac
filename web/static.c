/*
 * NAME
 *	static - the dashboard's files, served by vigil-web
 * DESCRIPTION
 *	web_static() answers a GET outside /api/ from the files built into
 *	the binary (ui_assets.c, generated from web/ui/): / is the dashboard's
 *	page, /ui/NAME its script and stylesheet. No token is needed for
 *	them: they hold no data; the page asks for a token before it reads
 *	any. Every answer of vigil-web carries WEB_SECURITY_HEADERS (http.c):
 *	a Content-Security-Policy that lets a page load nothing but these
 *	files and talk to nothing but this server, so text a plugin printed
 *	can never run as script even if it reached the page as markup.
 */
#include "web_private.h"

#include "ui_assets.h"

#include <string.h>

int
web_static(struct web_req *r)
{
	if (r->method != 'G')
		return -1;
	for (const struct ui_asset *a = ui_assets; a->path != NULL; a++)
		if (strcmp(r->path, a->path) == 0) {
			r->status = 200;
			r->ctype = a->type;
			r->body.len = 0;
			strbuf_add(&r->body, (const char *)a->data, a->len);
			return 0;
		}
	return -1;
}
