/* Fuzzes the SCPI client's parsing of the instrument's settings answer
 * (qaio__scpi_parse_settings, src/instr/scpi_decode.h): the input is the
 * answer line as exchange() hands it over (at most 511 bytes, no '\n').
 * Checks, beyond ASan/UBSan: a parsed answer gives settings the rest of the
 * driver can use (points >= 2, a finite rate > 0, every enum in range, a
 * trigger source of 1 or 2); a refused one leaves the settings alone. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scpi_decode.h"

#define CHECK(c) ((c) ? (void)0 : abort())

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a[512];
    if (size >= sizeof a)
        return 0;
    memcpy(a, data, size);
    a[size] = 0;
    qaio_scope_settings s, before;
    qaio_scope_settings_default(&s);
    before = s;
    if (qaio__scpi_parse_settings(a, &s) != 0) {
        CHECK(memcmp(&s, &before, sizeof s) == 0);
        return 0;
    }
    CHECK(s.points >= 2);
    CHECK(s.rate > 0 && isfinite(s.rate));
    CHECK((unsigned)s.trigger < QAIO_TRIG_MODE_COUNT && (unsigned)s.slope < QAIO_SLOPE_COUNT);
    CHECK(s.trigger_source == 1 || s.trigger_source == 2);
    CHECK(isfinite(s.trigger_level));
    CHECK(s.channels == before.channels);
    return 0;
}
