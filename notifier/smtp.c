/*
 * NAME
 *	smtp - hand one email to the SMTP server with libcurl
 * DESCRIPTION
 *	See smtp.h. The message is uploaded from memory by a read callback;
 *	libcurl does the SMTP dialogue, dot-stuffing and the final ".".
 * DIAGNOSTICS
 *	See smtp.h.
 */
#include "smtp.h"
#include "config.h"
#include "http.h"
#include "util.h"
#include "xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct smtp_upload {
	const char *p;
	size_t left;
};

static size_t
smtp_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct smtp_upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* "Vigil <vigil@x>" → "<vigil@x>"; "vigil@x" → "<vigil@x>". */
static char *
smtp_envelope(const char *addr)
{
	const char *lt = strchr(addr, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;

	if (lt != NULL && gt != NULL)
		return xstrndup(lt, (size_t)(gt - lt + 1));
	return xasprintf("<%s>", addr);
}

long
smtp_use_ssl(const char *starttls, const char *user)
{
	if (strcmp(starttls, "never") == 0)
		return (long)CURLUSESSL_NONE;
	if (strcmp(starttls, "always") == 0 || user != NULL)
		return (long)CURLUSESSL_ALL;
	return (long)CURLUSESSL_TRY;
}

int
smtp_send(void *curl, const struct config *cfg, const char *password, const char *to,
    const char *message, size_t len, int timeout, char *err, size_t errlen)
{
	CURL *h = curl;
	struct smtp_upload up = { message, len };
	struct curl_slist *rcpt = NULL;
	char cerr[CURL_ERROR_SIZE] = "", *from = smtp_envelope(cfg->notifier.smtp_from);
	char *rcpt_addr = xasprintf("<%s>", to);
	const char *what;
	long code = 0;
	int rc;

	curl_easy_reset(h);
	rcpt = curl_slist_append(rcpt, rcpt_addr);
	curl_easy_setopt(h, CURLOPT_URL, cfg->notifier.smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_USE_SSL, smtp_use_ssl(cfg->notifier.smtp_starttls,
	    cfg->notifier.smtp_user));
	/* libcurl verifies the server's certificate and name by default;
	 * only the CAs it trusts may change, never whether it checks. */
	if (cfg->notifier.smtp_ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->notifier.smtp_ca_file);
	if (cfg->notifier.smtp_user != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->notifier.smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, password != NULL ? password : "");
	}
	rc = http_perform(h, timeout, &code, cerr);
	curl_slist_free_all(rcpt);
	free(from);
	free(rcpt_addr);
	if (rc == 0)
		return 0;
	what = *cerr ? cerr : curl_easy_strerror((CURLcode)rc);
	/* Only a refusal explains the failure: after a TLS handshake that
	 * failed, the last reply is STARTTLS's 220, which reads as success. */
	if (code >= 400)
		util_errf(err, errlen, "smtp: %s (reply %ld)", what, code);
	else
		util_errf(err, errlen, "smtp: %s", what);
	return -1;
}
