/* Instrument addresses (qaio_scpi_address_parse): the forms users already
 * write in PyVISA and in instrument manuals, reduced to a TCP host and
 * port or a USBTMC device. */
#include "qaio/instr/scpi.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int bad(char *msg, size_t cap, int err, const char *fmt, ...)
{
    if (msg && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, cap, fmt, ap);
        va_end(ap);
    }
    return err;
}

/* A port: 1..65535, digits only. */
static int parse_port(const char *t, size_t n, int *out)
{
    if (n == 0 || n > 5)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)t[i]))
            return -1;
        v = v * 10 + (t[i] - '0');
    }
    if (v < 1 || v > 65535)
        return -1;
    *out = v;
    return 0;
}

/* Splits a VISA resource at "::" into at most 6 fields (in buf). */
static int visa_fields(const char *text, char *buf, size_t cap, char *f[6])
{
    snprintf(buf, cap, "%s", text);
    int n = 0;
    char *p = buf;
    while (n < 6) {
        f[n++] = p;
        char *sep = strstr(p, "::");
        if (!sep)
            break;
        *sep = 0;
        p = sep + 2;
    }
    return strstr(p, "::") ? -1 : n;
}

static bool prefix_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

/* "TCPIP[n]" or "USB[n]" with an optional board number. */
static bool is_board(const char *f, const char *kind)
{
    if (!prefix_ci(f, kind))
        return false;
    for (const char *p = f + strlen(kind); *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

/* A VISA resource starts with its interface type and "::" ("TCPIP0::",
 * "USB::"); a bare IPv6 address ("fe80::1") does not. */
static bool is_visa(const char *text)
{
    static const char *const types[] = {"TCPIP", "USB", "GPIB", "ASRL", "VXI", "PXI", NULL};
    const char *sep = strstr(text, "::");
    if (!sep)
        return false;
    for (int i = 0; types[i]; i++) {
        size_t n = strlen(types[i]);
        if (strncasecmp(text, types[i], n) != 0)
            continue;
        const char *p = text + n;
        while (p < sep && isdigit((unsigned char)*p))
            p++;
        if (p == sep)
            return true;
    }
    return false;
}

static bool read_sys(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)cap, f) != NULL;
    fclose(f);
    if (ok)
        buf[strcspn(buf, "\r\n")] = 0;
    return ok;
}

/* The /dev/usbtmc* device whose USB device has vid, pid and serial (NULL:
 * any). sysfs: <root>/usbtmcN/device is the interface, its parent the
 * device with idVendor, idProduct, serial. QAIO_USBTMC_SYSFS and
 * QAIO_USBTMC_DEV move both roots (for tests with a fake device). */
static int resolve_usb(unsigned vid, unsigned pid, const char *serial, qaio_scpi_address *out,
                       char *msg, size_t cap)
{
    const char *root = getenv("QAIO_USBTMC_SYSFS");
    const char *dev = getenv("QAIO_USBTMC_DEV");
    if (!root)
        root = "/sys/class/usbmisc";
    if (!dev)
        dev = "/dev";
    DIR *dir = opendir(root);
    struct dirent *e;
    while (dir && (e = readdir(dir))) {
        if (strncmp(e->d_name, "usbtmc", 6) != 0)
            continue;
        char path[512], v[64], p[64], s[128] = "";
        snprintf(path, sizeof path, "%s/%s/device/../idVendor", root, e->d_name);
        if (!read_sys(path, v, sizeof v))
            continue;
        snprintf(path, sizeof path, "%s/%s/device/../idProduct", root, e->d_name);
        if (!read_sys(path, p, sizeof p))
            continue;
        snprintf(path, sizeof path, "%s/%s/device/../serial", root, e->d_name);
        read_sys(path, s, sizeof s);
        if (strtoul(v, NULL, 16) == vid && strtoul(p, NULL, 16) == pid &&
            (!serial || strcmp(serial, s) == 0)) {
            int n = snprintf(out->device, sizeof out->device, "%.200s/%.50s", dev, e->d_name);
            closedir(dir);
            return n < (int)sizeof out->device ? 0 : bad(msg, cap, QAIO_EINVAL, "device path too long");
        }
    }
    if (dir)
        closedir(dir);
    return bad(msg, cap, QAIO_ENOENT,
               "no USBTMC device 0x%04X::0x%04X%s%s is connected (looked in %s)", vid, pid,
               serial ? "::" : "", serial ? serial : "", root);
}

static int parse_number_field(const char *f, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(f, &end, 0);
    if (end == f || *end || v > 0xFFFF)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_visa(const char *text, qaio_scpi_address *out, char *msg, size_t cap)
{
    char buf[600], *f[6];
    int n = visa_fields(text, buf, sizeof buf, f);
    if (n < 0)
        return bad(msg, cap, QAIO_EINVAL, "'%s': too many '::' fields", text);
    if (is_board(f[0], "TCPIP")) {
        if (n == 4 && strcasecmp(f[3], "SOCKET") == 0) {
            if (!f[1][0] || strlen(f[1]) >= sizeof out->host)
                return bad(msg, cap, QAIO_EINVAL, "'%s': no host", text);
            snprintf(out->host, sizeof out->host, "%s", f[1]);
            if (parse_port(f[2], strlen(f[2]), &out->port))
                return bad(msg, cap, QAIO_EINVAL, "'%s': port '%s' is not 1..65535", text, f[2]);
            return 0;
        }
        if (strcasecmp(f[n - 1], "INSTR") == 0)
            return bad(msg, cap, QAIO_EINVAL,
                       "'%s': VXI-11 and HiSLIP are not supported; use the raw socket, "
                       "TCPIP0::%s::5025::SOCKET (or the family's port)",
                       text, f[1]);
        return bad(msg, cap, QAIO_EINVAL, "'%s': expected TCPIP0::HOST::PORT::SOCKET", text);
    }
    if (is_board(f[0], "USB")) {
        unsigned vid, pid;
        if ((n != 5 && n != 6) || strcasecmp(f[n - 1], "INSTR") != 0 ||
            parse_number_field(f[1], &vid) || parse_number_field(f[2], &pid))
            return bad(msg, cap, QAIO_EINVAL, "'%s': expected USB0::VID::PID::SERIAL::INSTR",
                       text);
        return resolve_usb(vid, pid, f[3], out, msg, cap);
    }
    return bad(msg, cap, QAIO_EINVAL, "'%s': only TCPIP::...::SOCKET and USB::...::INSTR "
                                      "resources are supported", text);
}

int qaio_scpi_address_parse(const char *text, qaio_scpi_address *out, char *msg, size_t cap)
{
    if (msg && cap)
        msg[0] = 0;
    if (!out)
        return QAIO_EINVAL;
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return bad(msg, cap, QAIO_EINVAL, "empty address");
    if (is_visa(text))
        return parse_visa(text, out, msg, cap);
    if (prefix_ci(text, "usbtmc:")) {
        const char *dev = text + 7;
        if (!*dev || strlen(dev) >= sizeof out->device)
            return bad(msg, cap, QAIO_EINVAL, "'%s': expected usbtmc:/dev/usbtmcN", text);
        snprintf(out->device, sizeof out->device, "%s", dev);
        return 0;
    }
    const char *host = text, *port = NULL;
    size_t hlen;
    if (text[0] == '[') { /* "[v6]:port" */
        const char *close = strchr(text, ']');
        if (!close || (close[1] && close[1] != ':'))
            return bad(msg, cap, QAIO_EINVAL, "'%s': expected [ADDRESS]:PORT", text);
        host = text + 1;
        hlen = (size_t)(close - host);
        port = close[1] ? close + 2 : NULL;
    } else {
        const char *colon = strchr(text, ':');
        if (colon && strchr(colon + 1, ':')) { /* a bare IPv6 address */
            hlen = strlen(text);
        } else {
            hlen = colon ? (size_t)(colon - text) : strlen(text);
            port = colon ? colon + 1 : NULL;
        }
    }
    if (hlen == 0 || hlen >= sizeof out->host)
        return bad(msg, cap, QAIO_EINVAL, "'%s': no host", text);
    memcpy(out->host, host, hlen);
    if (port && parse_port(port, strlen(port), &out->port))
        return bad(msg, cap, QAIO_EINVAL, "'%s': port '%s' is not 1..65535", text, port);
    return 0;
}
