/*
 * NAME
 *	mq_tls - the socket under every AMQP connection (see mq_tls.h)
 */
#include "mq_tls.h"

#include "util.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <amqp_tcp_socket.h>
#ifdef HAVE_AMQP_SSL_SOCKET_H
#include <amqp_ssl_socket.h>
#include <openssl/ssl.h>
#endif

static struct {
	char *ca_file, *cert_file, *key_file;
	int verify_hostname;
} tls = { NULL, NULL, NULL, 1 };

int
mq_tls_configure(const char *ca_file, const char *cert_file, const char *key_file,
    int verify_hostname, char *err, size_t errlen)
{
	if ((cert_file == NULL) != (key_file == NULL)) {
		util_errf(err, errlen, "amqp_tls: cert_file and key_file go together (a client "
		    "certificate needs both)");
		return -1;
	}
	free(tls.ca_file);
	free(tls.cert_file);
	free(tls.key_file);
	tls.ca_file = ca_file != NULL ? xstrdup(ca_file) : NULL;
	tls.cert_file = cert_file != NULL ? xstrdup(cert_file) : NULL;
	tls.key_file = key_file != NULL ? xstrdup(key_file) : NULL;
	tls.verify_hostname = verify_hostname;
	return 0;
}

amqp_socket_t *
mq_tls_socket(amqp_connection_state_t c, int ssl, char *err, size_t errlen)
{
	amqp_socket_t *s;

	if (!ssl) {
		if ((s = amqp_tcp_socket_new(c)) == NULL)
			util_errf(err, errlen, "cannot make a TCP socket");
		return s;
	}
#ifdef HAVE_AMQP_SSL_SOCKET_H
	if ((s = amqp_ssl_socket_new(c)) == NULL) {
		util_errf(err, errlen, "cannot make a TLS socket (librabbitmq's SSL)");
		return NULL;
	}
	amqp_ssl_socket_set_verify_peer(s, 1);
	amqp_ssl_socket_set_verify_hostname(s, tls.verify_hostname);
	if (amqp_ssl_socket_set_ssl_versions(s, AMQP_TLSv1_2, AMQP_TLSvLATEST) != AMQP_STATUS_OK) {
		util_errf(err, errlen, "cannot require TLS 1.2 or later");
		return NULL;
	}
	if (tls.ca_file != NULL) {
		if (amqp_ssl_socket_set_cacert(s, tls.ca_file) != AMQP_STATUS_OK) {
			util_errf(err, errlen, "amqp_tls.ca_file %s: cannot be read as PEM "
			    "certificates", tls.ca_file);
			return NULL;
		}
	} else if (SSL_CTX_set_default_verify_paths(amqp_ssl_socket_get_context(s)) != 1) {
		util_errf(err, errlen, "the system's CA certificates cannot be loaded: set "
		    "amqp_tls.ca_file");
		return NULL;
	}
	if (tls.cert_file != NULL &&
	    amqp_ssl_socket_set_key(s, tls.cert_file, tls.key_file) != AMQP_STATUS_OK) {
		util_errf(err, errlen, "amqp_tls: the client certificate %s or its key %s cannot "
		    "be read", tls.cert_file, tls.key_file);
		return NULL;
	}
	return s;
#else
	util_errf(err, errlen, "amqps:// needs TLS, and this librabbitmq was built without it");
	return NULL;
#endif
}
