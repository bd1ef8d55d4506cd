/* get_news: fetch several news pages one after another, then all at once.
 *
 * The original is the asyncio + aiohttp example of the qaio design: a
 * coroutine get_news(url) that awaits session.get(url) and the page's
 * text, run first in a for loop (each page waits for the one before) and
 * then with asyncio.gather (all pages in flight together), timing both.
 * What differs in C: the request is qaio_http_get() (Qt Network under the
 * hood), a future whose value is the response object; get_news() is an
 * ordinary function that qaio_await()s it, so the SAME function serves both
 * halves -- called from plain code it waits in a nested event loop, spawned
 * as a task it suspends only that task. And the pages come from a local
 * server (http_server) that delays each answer, standing in for real news
 * sites, so the example runs anywhere and its timing is predictable.
 *
 *   $ ./http_server &                 # prints its port
 *   $ ./get_news http://127.0.0.1:PORT [pages] [delay_ms]
 *   sequential: News 1 (128 bytes)
 *   ...
 *   sequential: 5 pages in 1.01 s
 *   concurrent: 5 pages in 0.20 s
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qaio.h>

#define MAX_PAGES 64

typedef struct {
    char url[512];
    char title[128]; /* what get_news found */
    size_t bytes;
} news;

/* Fetches one page and keeps its title: waits for the response however the
 * caller can (a task suspends, plain code runs a nested loop). */
static int get_news(news *n)
{
    qaio_future *f = qaio_http_get(qaio_loop_get(), n->url, NULL);
    if (!f)
        return QAIO_ENOMEM;
    qaio_http_response *r;
    int err = qaio_await(f, (void **)&r);
    if (!err && qaio_http_response_status(r) != 200)
        err = QAIO_EIO;
    if (!err) {
        const char *html = qaio_http_response_body(r, &n->bytes);
        const char *t = strstr(html, "<title>");
        const char *end = t ? strstr(t, "</title>") : NULL;
        int len = end ? (int)(end - t - 7) : 0;
        snprintf(n->title, sizeof n->title, "%.*s", len, t ? t + 7 : "");
    } else {
        fprintf(stderr, "get_news: %s: %s (%s)\n", n->url, qaio_err_name(err),
                qaio_future_error_message(f) ? qaio_future_error_message(f) : qaio_strerror(err));
    }
    qaio_future_unref(f); /* frees the response too */
    return err;
}

static int get_news_task(void *arg, qaio_future *self)
{
    (void)self;
    return get_news(arg);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s BASE_URL [pages] [delay_ms]\n", argv[0]);
        return 2;
    }
    int pages = argc > 2 ? atoi(argv[2]) : 5;
    int delay_ms = argc > 3 ? atoi(argv[3]) : 200;
    if (pages < 1 || pages > MAX_PAGES)
        pages = 5;
    qaio_loop *loop = qaio_loop_get();
    static news site[MAX_PAGES];
    for (int i = 0; i < pages; i++)
        snprintf(site[i].url, sizeof site[i].url, "%s/page/%d?delay=%d", argv[1], i + 1, delay_ms);

    /* One after another, from plain code: each call waits in a nested loop. */
    double t0 = qaio_loop_time(loop);
    for (int i = 0; i < pages; i++) {
        if (get_news(&site[i]))
            return 1;
        printf("sequential: %s (%zu bytes)\n", site[i].title, site[i].bytes);
    }
    double sequential = qaio_loop_time(loop) - t0;
    printf("sequential: %d pages in %.2f s\n", pages, sequential);

    /* All at once: a task per page, and gather waits for them together. */
    t0 = qaio_loop_time(loop);
    qaio_future *tasks[MAX_PAGES];
    for (int i = 0; i < pages; i++)
        tasks[i] = qaio_spawn(loop, get_news_task, &site[i]);
    qaio_future *all = qaio_gather(tasks, (size_t)pages);
    int err = qaio_future_result(all, NULL);
    double concurrent = qaio_loop_time(loop) - t0;
    for (int i = 0; i < pages && !err; i++)
        printf("concurrent: %s (%zu bytes)\n", site[i].title, site[i].bytes);
    printf("concurrent: %d pages in %.2f s (%s)\n", pages, concurrent, qaio_err_name(err));
    qaio_future_unref(all);
    for (int i = 0; i < pages; i++)
        qaio_future_unref(tasks[i]);
    qaio_loop_close(loop);
    return err ? 1 : 0;
}
