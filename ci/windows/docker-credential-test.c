/* A minimal docker-credential helper for the Windows smoke test
 * (ci/cross.sh): it keeps ONE credential, the JSON that `store` received,
 * in the file named by %DOCKERCFG_TEST_HELPER_DB%. Enough for a round trip
 * (store, get, list, erase) through dockercfg.exe's helper client: the
 * PATH x PATHEXT lookup of docker-credential-test.exe, stdin/stdout
 * framing, and the "not found" message. Not a credential store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <io.h>
#include <fcntl.h>

#define NOT_FOUND "credentials not found in native keychain"

static char *slurp(FILE *f)
{
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    if (buf)
        buf[len] = 0;
    return buf;
}

static char *read_db(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    if (!f)
        return NULL;
    s = slurp(f);
    fclose(f);
    return s;
}

/* The raw (still JSON-escaped) string value of "key" in json, or NULL. */
static char *field(const char *json, const char *key)
{
    char pat[64], *out;
    const char *p, *e;
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    p = strstr(json, pat);
    if (!p)
        return NULL;
    p += strlen(pat);
    for (e = p; *e && *e != '"'; e++)
        if (*e == '\\' && e[1])
            e++;
    out = malloc(e - p + 1);
    memcpy(out, p, e - p);
    out[e - p] = 0;
    return out;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = 0;
}

int main(int argc, char **argv)
{
    const char *db = getenv("DOCKERCFG_TEST_HELPER_DB");
    char *in, *have, *url;
    _setmode(_fileno(stdin), _O_BINARY);
    _setmode(_fileno(stdout), _O_BINARY);
    if (argc != 2 || !db) {
        printf("usage: docker-credential-test store|get|erase|list|version (with DOCKERCFG_TEST_HELPER_DB set)\n");
        return 2;
    }
    if (!strcmp(argv[1], "version")) {
        printf("docker-credential-test 1\n");
        return 0;
    }
    if (!strcmp(argv[1], "store")) {
        FILE *f;
        in = slurp(stdin);
        if (!in || !(url = field(in, "ServerURL"))) {
            printf("store: no ServerURL in the input\n");
            return 1;
        }
        f = fopen(db, "wb");
        if (!f || fputs(in, f) < 0 || fclose(f) != 0) {
            printf("store: cannot write %s\n", db);
            return 1;
        }
        return 0;
    }
    have = read_db(db);
    if (!strcmp(argv[1], "list")) {
        char *u = have ? field(have, "ServerURL") : NULL;
        char *n = have ? field(have, "Username") : NULL;
        if (u && n)
            printf("{\"%s\":\"%s\"}\n", u, n);
        else
            printf("{}\n");
        return 0;
    }
    if (strcmp(argv[1], "get") && strcmp(argv[1], "erase")) {
        printf("unknown action %s\n", argv[1]);
        return 2;
    }
    in = slurp(stdin);
    trim(in);
    url = have ? field(have, "ServerURL") : NULL;
    if (!url || strcmp(url, in)) {
        printf("%s\n", NOT_FOUND);
        return 1;
    }
    if (!strcmp(argv[1], "get")) {
        fputs(have, stdout);
        return 0;
    }
    if (remove(db) != 0) {
        printf("erase: cannot remove %s\n", db);
        return 1;
    }
    return 0;
}
