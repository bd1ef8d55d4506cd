// The bad-input audit of qaio/instr/csv.h: one row per function (see audit.h).
// test_csv covers the format.
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_csv_meta_init", [] { qaio_csv_meta_init(nullptr, "x"); }},
    {"qaio_csv_meta_set", [] {
         qaio_csv_meta m;
         qaio_csv_meta_init(&m, nullptr);
         EXPECT(qaio_csv_meta_set(nullptr, QAIO_CSV_USED, "k", "v"), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, QAIO_CSV_USED, nullptr, "v"), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, QAIO_CSV_USED, "k", nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, QAIO_CSV_USED, "", "v"), QAIO_EINVAL);
         EXPECT(qaio_csv_meta_set(&m, qaio_csv_group(-1), "k", "v"), QAIO_EINVAL);
     }},
    {"qaio_csv_meta_get", [] {
         EXPECT(qaio_csv_meta_get(nullptr, QAIO_CSV_USED, "k") == nullptr, 1);
         qaio_csv_meta m;
         qaio_csv_meta_init(&m, nullptr);
         EXPECT(qaio_csv_meta_get(&m, QAIO_CSV_USED, nullptr) == nullptr, 1);
         EXPECT(qaio_csv_meta_get(&m, QAIO_CSV_GROUP_COUNT, "k") == nullptr, 1);
     }},
    {"qaio_csv_write", [] {
         EXPECT(qaio_csv_write(nullptr, I.trace, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_write(stdout, nullptr, nullptr), QAIO_EINVAL);
     }},
    {"qaio_csv_parse", [] {
         EXPECT(qaio_csv_parse(nullptr, 0, I.trace, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_parse("", 0, nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_parse("", 0, I.trace, nullptr, nullptr), QAIO_EPROTO);
     }},
    {"qaio_csv_read_file", [] {
         EXPECT(qaio_csv_read_file(nullptr, I.trace, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_read_file("/nonexistent/x.csv", nullptr, nullptr, nullptr), QAIO_EINVAL);
         EXPECT(qaio_csv_read_file("/nonexistent/x.csv", I.trace, nullptr, nullptr), QAIO_ENOENT);
     }},
};
const RegisterRows registered("instr/csv.h", rows);
} // namespace
