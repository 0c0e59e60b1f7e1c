#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift calls these typed wrappers. */
static inline CURLcode defuse_curl_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode defuse_curl_string(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode defuse_curl_pointer(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode defuse_curl_size(CURL *c, CURLoption o, curl_off_t v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode defuse_curl_response_code(CURL *c, long *out) { return curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, out); }

/* Answers are read and dropped: only the status matters. */
static size_t defuse_curl_discard(char *p, size_t size, size_t n, void *u) { (void)p; (void)u; return size * n; }
static inline CURLcode defuse_curl_discard_body(CURL *c) {
    return curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, defuse_curl_discard);
}
