/*
 * NAME
 *	smtp - hand one email to the SMTP server with libcurl
 * DESCRIPTION
 *	smtp_send() sends an RFC 5322 message (render_email()) to one
 *	recipient through notifier.smtp.url: MAIL FROM is the address in
 *	notifier.smtp.from (the part in <> if it has one), STARTTLS as
 *	notifier.smtp.starttls says (auto: if offered, required when a user
 *	is set; always: required; never), AUTH with notifier.smtp.user and the password given, all
 *	within timeout seconds. TLS always verifies the server's
 *	certificate and name, against notifier.smtp.ca_file if set, else
 *	the system's CAs. Blocking: call it from a delivery thread with
 *	that thread's curl handle.
 * DIAGNOSTICS
 *	-1 with err: libcurl's error and the server's last reply code when
 *	it is a refusal ("smtp: Login denied (reply 535)"); a
 *	certificate that does not verify fails the send (libcurl says why).
 * SECURITY
 *	The password is never put in err.
 */
#ifndef VIGIL_SMTP_H
#define VIGIL_SMTP_H

#include <stddef.h>

struct config;

/* The CURLOPT_USE_SSL level for notifier.smtp.starttls: "auto" takes TLS
 * if offered, except with a user set, when it is required: a server (or a
 * man in the middle stripping STARTTLS) that does not offer it would
 * otherwise be sent the password in clear. "never" is never overruled. */
long smtp_use_ssl(const char *starttls, const char *user);
int smtp_send(void *curl, const struct config *cfg, const char *password, const char *to,
    const char *message, size_t len, int timeout, char *err, size_t errlen);

#endif
