#include <microhttpd.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

// MHD_start_daemon is variadic, which Swift cannot call: bind to one IPv4 address with an
// epoll thread pool, and have libmicrohttpd tell us when each request is done.
static inline struct MHD_Daemon *defuse_mhd_start(const char *host, unsigned short port, unsigned int threads,
                                                  MHD_AccessHandlerCallback handler, void *ctx,
                                                  MHD_RequestCompletedCallback completed) {
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) return NULL;
    return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, port, NULL, NULL, handler, ctx,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                            MHD_OPTION_THREAD_POOL_SIZE, threads,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, ctx,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                            MHD_OPTION_END);
}

// The port the daemon listens on (when asked for port 0).
static inline unsigned short defuse_mhd_port(struct MHD_Daemon *d) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

// A response that owns a copy of the body.
static inline struct MHD_Response *defuse_mhd_response(size_t length, const void *body) {
    return MHD_create_response_from_buffer(length, (void *)body, MHD_RESPMEM_MUST_COPY);
}
