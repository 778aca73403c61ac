/*
 * NAME
 *	check_web - a web check: status, times, size, a regex, an XPath, a
 *	JSON pointer, the certificate's days left
 * SYNOPSIS
 *	check_web -u URL [-m METHOD] [-d DATA] [-H 'Name: value']... [-f[N]]
 *	          [--http1.1|--http2] [-4|-6] [--ca-file FILE] [--insecure]
 *	          [--cert FILE [--key FILE]] [-w RANGE] [-c RANGE]
 *	          [--ttfb-warning RANGE] [--ttfb-critical RANGE]
 *	          [--size-warning RANGE] [--size-critical RANGE] [-e CODES]
 *	          [-r RE | -R RE] [--invert-regex] [--regex-on body|headers]
 *	          [-x XPATH [--xml] [--xpath-value TEXT | --xpath-count RANGE]]
 *	          [-j POINTER [--json-value TEXT]] [-C WARN[,CRIT]]
 *	          [--max-size BYTES] [--max-headers BYTES] [-t SECONDS]
 * DESCRIPTION
 *	One request with libcurl, judged on everything asked for; the worst
 *	verdict is the state, every problem is named in the output. The
 *	perfdata are monitoring-plugins' check_curl's (time, size,
 *	time_connect, time_ssl, time_headers, time_firstbyte,
 *	time_transfer), so graphs made for it keep working, plus cert_days
 *	with -C. Under vigil the output says from which pool ($VIGIL_POOL).
 *	See --help for each option.
 * DIAGNOSTICS
 *	Exit 0-3 as the state. A usage error is UNKNOWN (3). No answer
 *	within -t (default 10 s) is CRITICAL ("no answer within"), and the
 *	plugin always ends by -t: a backstop alarm makes it UNKNOWN if
 *	anything else blocks. A body beyond --max-size is cut there (the
 *	checks run on what was read; the output says so); headers beyond
 *	--max-headers are CRITICAL.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "plugin.h"
#include "xalloc.h"

#define WEB_MAX_SIZE_DEFAULT (10L * 1024 * 1024)
#define WEB_MAX_HEADERS_DEFAULT (64L * 1024)
#define WEB_TIMEOUT_DEFAULT 10
#define WEB_REDIRECTS_DEFAULT 10
#define WEB_CODES_MAX 32

static struct plugin p;
/* the handle, also here: reachable whatever exit ends the plugin (a leak
 * checker at exit must not count it) */
static CURL *curl_handle;

static const char synopsis[] = "-u URL [options]";

static const char help[] =
	"A web check: one request, judged on what is asked; the worst verdict is the state.\n"
	"\n"
	"The request:\n"
	"  -u, --url URL            http:// or https:// (required)\n"
	"  -m, --method METHOD      GET (default; POST with -d), HEAD, PUT, …\n"
	"  -d, --data TEXT          a request body\n"
	"  -H, --header 'N: V'      a request header (repeatable)\n"
	"  -f, --follow[=N]         follow redirects, at most N (default 10); without it a\n"
	"                           redirect is the answer judged\n"
	"      --http1.1, --http2   the protocol (--http2: ALPN on https, h2c upgrade on http)\n"
	"  -4, -6                   IPv4 or IPv6 only\n"
	"      --ca-file FILE       trust these CAs (default: the system's)\n"
	"      --insecure           do not verify the server's certificate (never by default)\n"
	"      --cert FILE, --key FILE   a client certificate and its key (PEM)\n"
	"  -t, --timeout SECONDS    no answer by then is CRITICAL (default 10)\n"
	"      --max-size BYTES     read at most this much of the body (default 10 MiB)\n"
	"      --max-headers BYTES  more header bytes is CRITICAL (default 64 KiB)\n"
	"\n"
	"The verdicts (ranges are Nagios ranges: 10, 10:, ~:10, 10:20, @10:20):\n"
	"  -e, --expect CODES       status codes that are OK: 200,301-302 (anything else is\n"
	"                           CRITICAL); without it 4xx is WARNING and 5xx CRITICAL\n"
	"  -w, --warning RANGE      total time, seconds\n"
	"  -c, --critical RANGE\n"
	"      --ttfb-warning RANGE, --ttfb-critical RANGE   time to the first byte, seconds\n"
	"      --size-warning RANGE, --size-critical RANGE   body size, bytes\n"
	"  -r, --regex RE           a POSIX extended regex that must match (CRITICAL if not)\n"
	"  -R, --regex-icase RE     the same, case-insensitive\n"
	"      --invert-regex       CRITICAL if it matches instead\n"
	"      --regex-on WHAT      body (default) or headers\n"
	"  -x, --xpath EXPR         an XPath on the body, parsed as HTML (forgiving) or, with\n"
	"      --xml, as XML; it must find something (CRITICAL if not), and with\n"
	"      --xpath-value TEXT   its (first) value must be TEXT, or with\n"
	"      --xpath-count RANGE  the number of nodes must be inside RANGE\n"
	"  -j, --json-pointer PTR   an RFC 6901 pointer into a JSON body (/status, /items/0);\n"
	"      --json-value TEXT    what it must hold (a string as is, else JSON text)\n"
	"  -C, --certificate W[,C]  days left on the server's certificate: WARNING under W,\n"
	"                           CRITICAL under C (default 0: expired)\n"
	"\n"
	"  -V, --version            -h, --help\n";

struct opts {
	const char *url, *method, *data;
	struct curl_slist *headers;
	long follow;			/* -1: do not follow */
	long http;			/* CURL_HTTP_VERSION_* */
	long ipresolve;
	const char *ca_file, *cert, *key;
	int insecure;
	long timeout;
	long max_size, max_headers;
	struct range warn, crit, ttfb_warn, ttfb_crit, size_warn, size_crit;
	const char *warn_s, *crit_s, *ttfb_warn_s, *ttfb_crit_s, *size_warn_s, *size_crit_s;
	long codes[WEB_CODES_MAX][2];
	size_t ncodes;
	const char *regex;
	regex_t regex_c;		/* compiled while the options are read */
	int regex_icase, regex_invert, regex_headers;
	const char *xpath, *xpath_value;
	xmlXPathCompExprPtr xpath_c;
	struct range xpath_count;
	int xpath_counted, xml;
	const char *json_pointer, *json_value;
	long cert_warn, cert_crit;
	int certdays;			/* -C given */
};

struct answer {
	struct strbuf body, headers;
	char status_line[256];
	long header_bytes;
	int cut;			/* the body went past max_size */
	int flood;			/* the headers went past max_headers */
	const struct opts *o;
};

/* libxml2's complaints: the last one kept, nothing printed. */
static char xml_error[200];
static void xml_quiet(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The verdicts so far: the worst state and what each problem was. */
static int state = PLUGIN_OK;
static struct strbuf problems;

static void
verdict(int s, const char *fmt, ...)
{
	va_list ap;
	char text[600];

	if (s > state)
		state = s;
	if (s == PLUGIN_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	strbuf_adds(&problems, problems.len > 0 ? ", " : "");
	strbuf_adds(&problems, text);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n, room = (size_t)a->o->max_size - a->body.len;

	if (len > room) {	/* cut here: what was read is judged */
		strbuf_add(&a->body, data, room);
		a->cut = 1;
		return 0;	/* ends the transfer (CURLE_WRITE_ERROR) */
	}
	strbuf_add(&a->body, data, len);
	return len;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct answer *a = arg;
	size_t len = size * n;

	a->header_bytes += (long)len;
	if (a->header_bytes > a->o->max_headers) {
		a->flood = 1;
		return 0;
	}
	if (len > 5 && strncmp(data, "HTTP/", 5) == 0) {	/* a new answer (a redirect's next) */
		size_t line = 0;

		while (line < len && data[line] != '\r' && data[line] != '\n')
			line++;
		a->headers.len = 0;
		snprintf(a->status_line, sizeof(a->status_line), "%.*s", (int)line, data);
	}
	strbuf_add(&a->headers, data, len);
	return len;
}

/* "200,301-302": each a code or a range of codes. */
static void
parse_codes(struct opts *o, const char *text)
{
	char *copy = xstrdup(text), *save = NULL;

	for (char *t = strtok_r(copy, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(t, '-');
		long lo, hi;

		if (o->ncodes == WEB_CODES_MAX)
			plugin_usage(&p, "-e: at most %d codes or ranges", WEB_CODES_MAX);
		if (dash != NULL)
			*dash = '\0';
		lo = plugin_number(&p, "-e", t, 100, 599);
		hi = dash != NULL ? plugin_number(&p, "-e", dash + 1, 100, 599) : lo;
		if (hi < lo)
			plugin_usage(&p, "-e: %ld-%ld is empty", lo, hi);
		o->codes[o->ncodes][0] = lo;
		o->codes[o->ncodes++][1] = hi;
	}
	free(copy);
	if (o->ncodes == 0)
		plugin_usage(&p, "-e: no status code in \"%s\"", text);
}

/* "W[,C]" days. */
static void
parse_cert(struct opts *o, const char *text)
{
	char *copy = xstrdup(text), *comma = strchr(copy, ',');

	if (comma != NULL)
		*comma = '\0';
	o->cert_warn = plugin_number(&p, "-C", copy, 0, 36500);
	o->cert_crit = comma != NULL ? plugin_number(&p, "-C", comma + 1, 0, 36500) : 0;
	if (o->cert_crit > o->cert_warn)
		plugin_usage(&p, "-C: the critical days (%ld) are more than the warning's (%ld)",
		    o->cert_crit, o->cert_warn);
	o->certdays = 1;
	free(copy);
}

enum {
	OPT_HTTP11 = 256, OPT_HTTP2, OPT_CA, OPT_INSECURE, OPT_CERT, OPT_KEY, OPT_TTFB_W,
	OPT_TTFB_C, OPT_SIZE_W, OPT_SIZE_C, OPT_INVERT, OPT_REGEX_ON, OPT_XML, OPT_XPATH_VALUE,
	OPT_XPATH_COUNT, OPT_JSON_VALUE, OPT_MAX_SIZE, OPT_MAX_HEADERS,
};

static void
parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "url", required_argument, NULL, 'u' }, { "method", required_argument, NULL, 'm' },
		{ "data", required_argument, NULL, 'd' }, { "header", required_argument, NULL, 'H' },
		{ "follow", optional_argument, NULL, 'f' }, { "http1.1", no_argument, NULL, OPT_HTTP11 },
		{ "http2", no_argument, NULL, OPT_HTTP2 }, { "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' }, { "ca-file", required_argument, NULL, OPT_CA },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "cert", required_argument, NULL, OPT_CERT }, { "key", required_argument, NULL, OPT_KEY },
		{ "timeout", required_argument, NULL, 't' },
		{ "warning", required_argument, NULL, 'w' }, { "critical", required_argument, NULL, 'c' },
		{ "ttfb-warning", required_argument, NULL, OPT_TTFB_W },
		{ "ttfb-critical", required_argument, NULL, OPT_TTFB_C },
		{ "size-warning", required_argument, NULL, OPT_SIZE_W },
		{ "size-critical", required_argument, NULL, OPT_SIZE_C },
		{ "expect", required_argument, NULL, 'e' }, { "regex", required_argument, NULL, 'r' },
		{ "regex-icase", required_argument, NULL, 'R' },
		{ "invert-regex", no_argument, NULL, OPT_INVERT },
		{ "regex-on", required_argument, NULL, OPT_REGEX_ON },
		{ "xpath", required_argument, NULL, 'x' }, { "xml", no_argument, NULL, OPT_XML },
		{ "xpath-value", required_argument, NULL, OPT_XPATH_VALUE },
		{ "xpath-count", required_argument, NULL, OPT_XPATH_COUNT },
		{ "json-pointer", required_argument, NULL, 'j' },
		{ "json-value", required_argument, NULL, OPT_JSON_VALUE },
		{ "certificate", required_argument, NULL, 'C' },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "max-headers", required_argument, NULL, OPT_MAX_HEADERS },
		{ "version", no_argument, NULL, 'V' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->follow = -1;
	o->http = CURL_HTTP_VERSION_NONE;
	o->ipresolve = CURL_IPRESOLVE_WHATEVER;
	o->timeout = WEB_TIMEOUT_DEFAULT;
	o->max_size = WEB_MAX_SIZE_DEFAULT;
	o->max_headers = WEB_MAX_HEADERS_DEFAULT;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":u:m:d:H:f::46t:w:c:e:r:R:x:j:C:Vh", lo, NULL)) != -1) {
		switch (ch) {
		case 'u': o->url = optarg; break;
		case 'm': o->method = optarg; break;
		case 'd': o->data = optarg; break;
		case 'H':
			if (strchr(optarg, ':') == NULL || strpbrk(optarg, "\r\n") != NULL)
				plugin_usage(&p, "-H: \"%s\" is not Name: value on one line", optarg);
			o->headers = curl_slist_append(o->headers, optarg);
			break;
		case 'f':
			o->follow = optarg != NULL ? plugin_number(&p, "-f", optarg, 0, 100) :
			    WEB_REDIRECTS_DEFAULT;
			break;
		case OPT_HTTP11: o->http = CURL_HTTP_VERSION_1_1; break;
		case OPT_HTTP2: o->http = CURL_HTTP_VERSION_2_0; break;
		case '4': o->ipresolve = CURL_IPRESOLVE_V4; break;
		case '6': o->ipresolve = CURL_IPRESOLVE_V6; break;
		case OPT_CA: o->ca_file = optarg; break;
		case OPT_INSECURE: o->insecure = 1; break;
		case OPT_CERT: o->cert = optarg; break;
		case OPT_KEY: o->key = optarg; break;
		case 't': o->timeout = plugin_number(&p, "-t", optarg, 1, 3600); break;
		case 'w': o->warn_s = plugin_range(&p, "-w", optarg, &o->warn); break;
		case 'c': o->crit_s = plugin_range(&p, "-c", optarg, &o->crit); break;
		case OPT_TTFB_W:
			o->ttfb_warn_s = plugin_range(&p, "--ttfb-warning", optarg, &o->ttfb_warn);
			break;
		case OPT_TTFB_C:
			o->ttfb_crit_s = plugin_range(&p, "--ttfb-critical", optarg, &o->ttfb_crit);
			break;
		case OPT_SIZE_W:
			o->size_warn_s = plugin_range(&p, "--size-warning", optarg, &o->size_warn);
			break;
		case OPT_SIZE_C:
			o->size_crit_s = plugin_range(&p, "--size-critical", optarg, &o->size_crit);
			break;
		case 'e': parse_codes(o, optarg); break;
		case 'r': o->regex = optarg; o->regex_icase = 0; break;
		case 'R': o->regex = optarg; o->regex_icase = 1; break;
		case OPT_INVERT: o->regex_invert = 1; break;
		case OPT_REGEX_ON:
			if (strcmp(optarg, "body") != 0 && strcmp(optarg, "headers") != 0)
				plugin_usage(&p, "--regex-on: body or headers, not \"%s\"", optarg);
			o->regex_headers = strcmp(optarg, "headers") == 0;
			break;
		case 'x': o->xpath = optarg; break;
		case OPT_XML: o->xml = 1; break;
		case OPT_XPATH_VALUE: o->xpath_value = optarg; break;
		case OPT_XPATH_COUNT:
			plugin_range(&p, "--xpath-count", optarg, &o->xpath_count);
			o->xpath_counted = 1;
			break;
		case 'j':
			if (optarg[0] != '/' && optarg[0] != '\0')
				plugin_usage(&p, "-j: a JSON pointer starts with / (\"%s\")", optarg);
			o->json_pointer = optarg;
			break;
		case OPT_JSON_VALUE: o->json_value = optarg; break;
		case 'C': parse_cert(o, optarg); break;
		case OPT_MAX_SIZE:
			o->max_size = plugin_number(&p, "--max-size", optarg, 1, 1L << 30);
			break;
		case OPT_MAX_HEADERS:
			o->max_headers = plugin_number(&p, "--max-headers", optarg, 256, 1L << 24);
			break;
		default: plugin_option(&p, ch, help, argv);
		}
	}
	plugin_no_operands(&p, argc, argv);
	if (o->url == NULL)
		plugin_usage(&p, "-u URL is required");
	if (strncasecmp(o->url, "http://", 7) != 0 && strncasecmp(o->url, "https://", 8) != 0)
		plugin_usage(&p, "-u: only http:// and https:// URLs (\"%s\")", o->url);
	if ((o->xpath_value != NULL || o->xpath_counted || o->xml) && o->xpath == NULL)
		plugin_usage(&p, "--xpath-value, --xpath-count and --xml go with -x");
	if (o->xpath_value != NULL && o->xpath_counted)
		plugin_usage(&p, "--xpath-value or --xpath-count, not both");
	if (o->json_value != NULL && o->json_pointer == NULL)
		plugin_usage(&p, "--json-value goes with -j");
	if ((o->regex_invert || o->regex_headers) && o->regex == NULL)
		plugin_usage(&p, "--invert-regex and --regex-on go with -r or -R");
	if (o->key != NULL && o->cert == NULL)
		plugin_usage(&p, "--key goes with --cert");
	/* A bad regex or XPath is a usage error, found before any request. */
	if (o->regex != NULL) {
		int rc = regcomp(&o->regex_c, o->regex, REG_EXTENDED | REG_NOSUB |
		    (o->regex_icase ? REG_ICASE : 0));
		char err[200];

		if (rc != 0) {
			regerror(rc, &o->regex_c, err, sizeof(err));
			plugin_usage(&p, "-r: %s: %s", o->regex, err);
		}
	}
	if (o->xpath != NULL) {
		xmlSetGenericErrorFunc(NULL, xml_quiet);
		xml_error[0] = '\0';
		if ((o->xpath_c = xmlXPathCompile((const xmlChar *)o->xpath)) == NULL)
			plugin_usage(&p, "-x: \"%s\" is not an XPath expression%s%s", o->xpath,
			    xml_error[0] != '\0' ? ": " : "", xml_error);
	}
}

/* ---- the verdicts ------------------------------------------------------ */

static void
judge_status(const struct opts *o, long code)
{
	if (o->ncodes > 0) {
		for (size_t i = 0; i < o->ncodes; i++)
			if (code >= o->codes[i][0] && code <= o->codes[i][1])
				return;
		verdict(PLUGIN_CRITICAL, "status %ld is not one expected", code);
	} else if (code >= 500)
		verdict(PLUGIN_CRITICAL, "status %ld", code);
	else if (code >= 400)
		verdict(PLUGIN_WARNING, "status %ld", code);
}

static void
judge_range(const char *what, const char *unit, double v, const struct range *w, const char *ws,
    const struct range *c, const char *cs)
{
	int s = range_status(ws != NULL ? w : NULL, cs != NULL ? c : NULL, v);

	if (s != PLUGIN_OK)
		verdict(s, "%s %g%s outside %s", what, v, unit, s == PLUGIN_CRITICAL ? cs : ws);
}

static void
judge_regex(const struct opts *o, const struct answer *a)
{
	const char *text = o->regex_headers ? a->headers.s : a->body.s;
	int found = regexec(&o->regex_c, text != NULL ? text : "", 0, NULL, 0) == 0;

	if (found == o->regex_invert)
		verdict(PLUGIN_CRITICAL, "regex '%s' %s in the %s", o->regex,
		    found ? "found" : "not found", o->regex_headers ? "headers" : "body");
}

static void
xml_quiet(void *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	vsnprintf(xml_error, sizeof(xml_error), fmt, ap);
	va_end(ap);
	xml_error[strcspn(xml_error, "\n")] = '\0';
}

static void
judge_xpath(const struct opts *o, const struct answer *a)
{
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr res;
	int len = a->body.len > (size_t)INT32_MAX ? INT32_MAX : (int)a->body.len;
	xmlChar *value = NULL;
	long count = -1;

	xmlSetGenericErrorFunc(NULL, xml_quiet);
	doc = o->xml ? xmlReadMemory(a->body.s != NULL ? a->body.s : "", len, o->url, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING) :
	    htmlReadMemory(a->body.s != NULL ? a->body.s : "", len, o->url, NULL,
	    HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	if (doc == NULL) {
		verdict(PLUGIN_CRITICAL, "the body is not %s", o->xml ? "XML" : "HTML");
		return;
	}
	ctx = xmlXPathNewContext(doc);
	res = ctx != NULL ? xmlXPathCompiledEval(o->xpath_c, ctx) : NULL;
	if (res == NULL) {	/* it compiled: a failure here is the document's */
		verdict(PLUGIN_CRITICAL, "XPath %s could not be evaluated", o->xpath);
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		return;
	}
	if (res->type == XPATH_NODESET) {
		count = res->nodesetval != NULL ? res->nodesetval->nodeNr : 0;
		if (count > 0)
			value = xmlNodeGetContent(res->nodesetval->nodeTab[0]);
	} else
		value = xmlXPathCastToString(res);
	plugin_long(&p, "XPath %s: %ld node%s, first value \"%.200s\"", o->xpath,
	    count < 0 ? 1 : count, count == 1 ? "" : "s", value != NULL ? (char *)value : "");
	if (o->xpath_counted) {
		if (range_alert(&o->xpath_count, (double)(count < 0 ? 1 : count)))
			verdict(PLUGIN_CRITICAL, "XPath %s found %ld node%s", o->xpath, count,
			    count == 1 ? "" : "s");
	} else if (count == 0 || (count < 0 && res->type == XPATH_BOOLEAN && !res->boolval))
		verdict(PLUGIN_CRITICAL, "XPath %s found nothing", o->xpath);
	else if (o->xpath_value != NULL) {
		/* the text as a reader sees it: blanks at the ends do not count */
		const char *v = value != NULL ? (const char *)value : "";
		size_t n;

		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		for (n = strlen(v); n > 0 && strchr(" \t\r\n", v[n - 1]) != NULL; n--)
			;
		if (strlen(o->xpath_value) != n || strncmp(v, o->xpath_value, n) != 0)
			verdict(PLUGIN_CRITICAL, "XPath %s is \"%.*s\", not \"%s\"", o->xpath,
			    (int)(n > 80 ? 80 : n), v, o->xpath_value);
	}
	xmlFree(value);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
}

/* RFC 6901: "/a/0/b~1c" in doc. */
static json_t *
json_at(json_t *doc, const char *pointer)
{
	json_t *at = doc;
	char *copy = xstrdup(pointer), *save = NULL, *tok;

	if (*pointer == '\0') {
		free(copy);
		return doc;
	}
	for (tok = strtok_r(copy, "/", &save); at != NULL && tok != NULL;
	    tok = strtok_r(NULL, "/", &save)) {
		char *r = tok, *w = tok;

		for (; *r != '\0'; r++, w++) {	/* ~1 is /, ~0 is ~ */
			if (r[0] == '~' && (r[1] == '0' || r[1] == '1'))
				*w = r[1] == '1' ? '/' : '~', r++;
			else
				*w = *r;
		}
		*w = '\0';
		if (json_is_object(at))
			at = json_object_get(at, tok);
		else if (json_is_array(at) && tok[0] != '\0' && strspn(tok, "0123456789") ==
		    strlen(tok) && (tok[0] != '0' || tok[1] == '\0'))
			at = json_array_get(at, strtoul(tok, NULL, 10));
		else
			at = NULL;
	}
	free(copy);
	return at;
}

static void
judge_json(const struct opts *o, const struct answer *a)
{
	json_error_t err;
	json_t *doc = json_loadb(a->body.s != NULL ? a->body.s : "", a->body.len, JSON_DECODE_ANY,
	    &err), *at;
	char *text;

	if (doc == NULL) {
		verdict(PLUGIN_CRITICAL, "the body is not JSON (%s, at %d:%d)", err.text, err.line,
		    err.column);
		return;
	}
	if ((at = json_at(doc, o->json_pointer)) == NULL) {
		verdict(PLUGIN_CRITICAL, "JSON %s is not there", o->json_pointer);
		json_decref(doc);
		return;
	}
	text = json_is_string(at) ? xstrdup(json_string_value(at)) :
	    json_dumps(at, JSON_ENCODE_ANY | JSON_COMPACT);
	plugin_long(&p, "JSON %s: %.200s", o->json_pointer, text != NULL ? text : "");
	if (o->json_value != NULL && (text == NULL || strcmp(text, o->json_value) != 0))
		verdict(PLUGIN_CRITICAL, "JSON %s is %.80s, not %s", o->json_pointer,
		    text != NULL ? text : "?", o->json_value);
	free(text);
	json_decref(doc);
}

/* The leaf certificate's "Expire date", as OpenSSL writes it. */
static void
judge_cert(const struct opts *o, CURL *c)
{
	struct curl_certinfo *ci = NULL;
	struct tm tm;
	double days = NAN;
	char when[32] = "";

	if (strncasecmp(o->url, "https://", 8) != 0) {
		verdict(PLUGIN_UNKNOWN, "-C needs an https:// URL");
		return;
	}
	if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) == CURLE_OK && ci != NULL &&
	    ci->num_of_certs > 0)
		for (struct curl_slist *s = ci->certinfo[0]; s != NULL; s = s->next) {
			const char *v;

			if (strncmp(s->data, "Expire date:", 12) != 0)
				continue;
			for (v = s->data + 12; *v == ' '; v++)
				;
			memset(&tm, 0, sizeof(tm));
			if (strptime(v, "%b %d %H:%M:%S %Y GMT", &tm) != NULL) {
				days = (double)(timegm(&tm) - time(NULL)) / 86400.0;
				strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
			}
		}
	if (isnan(days)) {
		verdict(PLUGIN_UNKNOWN, "the certificate's expiry could not be read");
		return;
	}
	plugin_long(&p, "certificate expires %s, in %.1f days", when, days);
	plugin_perf(&p, "cert_days", floor(days), "", NULL, NULL, NAN, NAN);
	if (days < (double)o->cert_crit || days < 0)
		verdict(PLUGIN_CRITICAL, "the certificate %s on %s",
		    days < 0 ? "expired" : "expires", when);
	else if (days < (double)o->cert_warn)
		verdict(PLUGIN_WARNING, "the certificate expires in %.0f days (%s)", floor(days),
		    when);
}

/* A time of the transfer, in microseconds (0 when libcurl has none). */
static curl_off_t
usec(CURL *c, CURLINFO what)
{
	curl_off_t us = 0;

	return curl_easy_getinfo(c, what, &us) == CURLE_OK ? us : 0;
}

static double
sec(curl_off_t us)
{
	return (double)(us > 0 ? us : 0) / 1e6;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct answer a;
	CURL *c;
	CURLcode rc;
	char errbuf[CURL_ERROR_SIZE] = "", ua[64];
	long code = 0, redirects = 0, version = 0;
	double total, first, size;

	plugin_init(&p, "check_web", "HTTP", synopsis);
	parse_args(&o, argc, argv);
	/* the backstop: whatever blocks, the plugin ends by -t (libcurl's own
	 * limit comes first, just before) */
	plugin_timeout(&p, (unsigned)o.timeout + 1);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (c = curl_easy_init()) == NULL)
		plugin_exit(&p, PLUGIN_UNKNOWN, "libcurl could not start");
	curl_handle = c;
	memset(&a, 0, sizeof(a));
	a.o = &o;
	snprintf(ua, sizeof(ua), "check_web (vigil) %s", PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_URL, o.url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o.timeout * 1000L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, o.headers);
	curl_easy_setopt(c, CURLOPT_IPRESOLVE, o.ipresolve);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");	/* what libcurl can decode */
	if (o.http != CURL_HTTP_VERSION_NONE)
		curl_easy_setopt(c, CURLOPT_HTTP_VERSION, o.http);
	if (o.follow >= 0) {
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, o.follow);
	}
	if (o.data != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, o.data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(o.data));
	}
	if (o.method != NULL && strcasecmp(o.method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (o.method != NULL)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, o.method);
	if (o.ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file);
	if (o.insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o.cert != NULL) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, o.cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, o.key != NULL ? o.key : o.cert);
	}
	if (o.certdays)
		curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);

	rc = curl_easy_perform(c);
	if (a.flood)
		plugin_exit(&p, PLUGIN_CRITICAL, "more than %ld bytes of headers from %s", o.max_headers,
		    o.url);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && a.cut)) {
		if (rc == CURLE_OPERATION_TIMEDOUT)
			plugin_exit(&p, PLUGIN_CRITICAL, "no answer within %ld s from %s", o.timeout,
			    o.url);
		plugin_exit(&p, PLUGIN_CRITICAL, "%s: %s", o.url,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
	}
	strbuf_add(&a.body, "", 0);	/* NUL-terminated, even when empty */
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(c, CURLINFO_REDIRECT_COUNT, &redirects);
	curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &version);
	{	/* check_curl's: connect, TLS on top, request sent, first byte, the rest */
		curl_off_t t = usec(c, CURLINFO_TOTAL_TIME_T), con = usec(c, CURLINFO_CONNECT_TIME_T),
		    app = usec(c, CURLINFO_APPCONNECT_TIME_T),
		    pre = usec(c, CURLINFO_PRETRANSFER_TIME_T),
		    st = usec(c, CURLINFO_STARTTRANSFER_TIME_T);

		total = sec(t);
		first = sec(st);
		size = (double)a.body.len;
		plugin_perf(&p, "time", total, "s", o.warn_s, o.crit_s, 0, NAN);
		plugin_perf(&p, "size", size, "B", o.size_warn_s, o.size_crit_s, 0, NAN);
		plugin_perf(&p, "time_connect", sec(con), "s", NULL, NULL, 0, NAN);
		plugin_perf(&p, "time_ssl", sec(app > 0 ? app - con : 0), "s", NULL, NULL, 0, NAN);
		plugin_perf(&p, "time_headers", sec(pre - (app > 0 ? app : con)), "s", NULL, NULL, 0,
		    NAN);
		plugin_perf(&p, "time_firstbyte", first, "s", o.ttfb_warn_s, o.ttfb_crit_s, 0, NAN);
		plugin_perf(&p, "time_transfer", sec(t - st), "s", NULL, NULL, 0, NAN);
	}

	{
		char *url = NULL;

		curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url);
		plugin_long(&p, "%s%s (%ld redirect%s), HTTP/%s", redirects > 0 ? "ended at " : "",
		    url != NULL ? url : o.url, redirects, redirects == 1 ? "" : "s",
		    version == CURL_HTTP_VERSION_2_0 ? "2" : version == CURL_HTTP_VERSION_3 ? "3" :
		    version == CURL_HTTP_VERSION_1_0 ? "1.0" : "1.1");
	}
	judge_status(&o, code);
	judge_range("time", " s", total, &o.warn, o.warn_s, &o.crit, o.crit_s);
	judge_range("time to first byte", " s", first, &o.ttfb_warn, o.ttfb_warn_s, &o.ttfb_crit,
	    o.ttfb_crit_s);
	judge_range("size", " B", size, &o.size_warn, o.size_warn_s, &o.size_crit, o.size_crit_s);
	if (o.regex != NULL)
		judge_regex(&o, &a);
	if (o.xpath != NULL)
		judge_xpath(&o, &a);
	if (o.json_pointer != NULL)
		judge_json(&o, &a);
	if (o.certdays)
		judge_cert(&o, c);
	if (a.cut)
		plugin_long(&p, "the body was cut at %ld bytes (--max-size)", o.max_size);

	curl_easy_cleanup(c);
	curl_slist_free_all(o.headers);
	plugin_exit(&p, state, "%s - %.0f bytes%s in %.3f s%s%s",
	    a.status_line[0] != '\0' ? a.status_line : "no status line", size,
	    a.cut ? " (cut at --max-size)" : "", total, problems.len > 0 ? ": " : "",
	    problems.len > 0 ? problems.s : "");
}
