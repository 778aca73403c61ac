/*
 * NAME
 *	mq_tls - the socket under every AMQP connection: TCP, or TLS for
 *	amqps:// with the broker's certificate verified
 * SYNOPSIS
 *	mq_tls_configure(ca_file, cert_file, key_file, verify_hostname, err, errlen);
 *	sock = mq_tls_socket(conn, ci.ssl, err, errlen);
 * DESCRIPTION
 *	One setting per process, made once at start-up (the daemons from
 *	their configuration's amqp_tls, vigilctl from its own) and used by
 *	every connection after it (mq.h, mqcli.h): for amqps:// the peer's
 *	certificate chain is verified against ca_file, or the system's CAs
 *	when none is given, and its name against the URL's host unless
 *	verify_hostname is 0; cert_file and key_file present a client
 *	certificate (both or neither). Verification cannot be turned off.
 *	amqp:// URLs take a plain TCP socket whatever the setting.
 * DIAGNOSTICS
 *	mq_tls_configure(): -1 when only one of cert_file and key_file is
 *	given. mq_tls_socket(): NULL with the reason (a CA or key file that
 *	cannot be read, a librabbitmq without TLS).
 */
#ifndef VIGIL_MQ_TLS_H
#define VIGIL_MQ_TLS_H

#include <stddef.h>
#include <amqp.h>

int mq_tls_configure(const char *ca_file, const char *cert_file, const char *key_file,
    int verify_hostname, char *err, size_t errlen);
amqp_socket_t *mq_tls_socket(amqp_connection_state_t c, int ssl, char *err, size_t errlen);

#endif
