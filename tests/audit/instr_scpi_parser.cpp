// The bad-input audit of qaio/instr/scpi_parser.h: one row per function (see audit.h).
// test_scpi_parser covers the grammar.
#include "audit_instr.h"

namespace {
const Row rows[] = {
    {"qaio_scpi_parse", [] {
         static qaio_scpi_program prog;
         EXPECT(qaio_scpi_parse("*IDN?", 5, nullptr), QAIO_EINVAL);
         EXPECT(qaio_scpi_parse(nullptr, 1, &prog), QAIO_EINVAL);
         EXPECT(qaio_scpi_parse(nullptr, 0, &prog), 0); // an empty line
         EXPECT(prog.count, 0);
         std::string huge(QAIO_SCPI_LINE_MAX + 1, 'A');
         EXPECT(qaio_scpi_parse(huge.data(), huge.size(), &prog), QAIO_SCPI_ERR_TOO_MUCH_DATA);
         // A NUL byte ends nothing: it is a syntax error (a SCPI error
         // number, not QAIO_EINVAL) wherever it sits.
         for (size_t at : {size_t(0), size_t(2), size_t(5)}) {
             char line[] = "*IDN?x";
             line[at] = '\0';
             int err = qaio_scpi_parse(line, 6, &prog);
             QVERIFY2(err <= QAIO_SCPI_ERR_COMMAND && err > QAIO_SCPI_ERR_EXECUTION, qPrintable(QString::number(err)));
         }
     }},
    {"qaio_scpi_match", [] {
         static qaio_scpi_program prog;
         qaio_scpi_parse("*IDN?", 5, &prog);
         QVERIFY(!qaio_scpi_match(nullptr, "*IDN"));
         QVERIFY(!qaio_scpi_match(&prog.cmd[0], nullptr));
         QVERIFY(!qaio_scpi_match(&prog.cmd[0], ""));
     }},
    {"qaio_scpi_word_match", [] {
         QVERIFY(!qaio_scpi_word_match(nullptr, "CHANnel1"));
         QVERIFY(!qaio_scpi_word_match("CHAN1", nullptr));
         QVERIFY(!qaio_scpi_word_match("", "CHANnel1"));
     }},
    {"qaio_scpi_arg_number", [] {
         static qaio_scpi_program prog;
         double v = 7;
         qaio_scpi_parse(":ACQ:POIN", 9, &prog);
         EXPECT(qaio_scpi_arg_number(nullptr, 0, 0, 1, 0, &v), QAIO_SCPI_ERR_MISSING_PARAM);
         EXPECT(qaio_scpi_arg_number(&prog.cmd[0], 0, 0, 1, 0, &v), QAIO_SCPI_ERR_MISSING_PARAM);
         EXPECT(qaio_scpi_arg_number(&prog.cmd[0], UINT_MAX, 0, 1, 0, &v), QAIO_SCPI_ERR_MISSING_PARAM);
         qaio_scpi_parse(":ACQ:POIN 5", 11, &prog);
         EXPECT(qaio_scpi_arg_number(&prog.cmd[0], 0, 0, 1, 0, nullptr), QAIO_SCPI_ERR_MISSING_PARAM);
         QCOMPARE(v, 7.0);
     }},
    {"qaio_scpi_error_message", [] {
         QCOMPARE(QString(qaio_scpi_error_message(INT_MIN)), QString("Unknown error"));
         QCOMPARE(QString(qaio_scpi_error_message(1)), QString("Unknown error"));
     }},
};
const RegisterRows registered("instr/scpi_parser.h", rows);
} // namespace
