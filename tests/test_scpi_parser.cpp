// The SCPI parser, table-driven: good lines (short/long forms, case, ';'
// chains with SCPI's relative header paths, every argument kind) and
// malformed ones (each with its SCPI error number and the commands before
// the error), header matching, numbers, and random bytes (no crash, bounded).
#include <cmath>
#include "testutil.h"

#include <qaio/instr.h>
#include <memory>
#include <random>

namespace {
// ":A:B? 1,\"x\"" for each command, joined by ';'; strings re-quoted.
QByteArray render(const qaio_scpi_program &p)
{
    QByteArray out;
    for (unsigned i = 0; i < p.count; i++) {
        const qaio_scpi_command &c = p.cmd[i];
        if (i)
            out += ';';
        for (unsigned d = 0; d < c.depth; d++)
            out += QByteArray(c.common ? "*" : ":") + c.node[d];
        if (c.query)
            out += '?';
        for (unsigned a = 0; a < c.nargs; a++) {
            out += a ? "," : " ";
            if (c.arg[a].type == QAIO_SCPI_ARG_STRING)
                out += '"' + QByteArray(c.arg[a].text) + '"';
            else
                out += c.arg[a].text;
        }
    }
    return out;
}
}

class TestScpiParser : public QObject {
    Q_OBJECT
    std::unique_ptr<qaio_scpi_program> prog{new qaio_scpi_program};

private slots:
    void lines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("error");
        QTest::addColumn<QByteArray>("parsed");
        auto row = [](const char *name, QByteArray line, int err, const char *parsed) {
            QTest::newRow(name) << line << err << QByteArray(parsed);
        };
        // good
        row("common query", "*IDN?", 0, "*IDN?");
        row("lf", "*IDN?\n", 0, "*IDN?");
        row("crlf", "*idn?\r\n", 0, "*idn?");
        row("long form", ":WAVeform:DATA?\n", 0, ":WAVeform:DATA?");
        row("no leading colon", "wav:data?", 0, ":wav:data?");
        row("relative path", ":TRIG:EDGE:LEV 0.5;SLOP POS", 0,
            ":TRIG:EDGE:LEV 0.5;:TRIG:EDGE:SLOP POS");
        row("common keeps path", ":ACQ:POIN 1000;*CLS;SRAT?", 0, ":ACQ:POIN 1000;*CLS;:ACQ:SRAT?");
        row("root commands", ":RUN;STOP", 0, ":RUN;:STOP");
        row("colon resets", ":TRIG:EDGE:LEV 1;:RUN", 0, ":TRIG:EDGE:LEV 1;:RUN");
        row("white space", "  :sys:err?  ;  ;*OPC?  ", 0, ":sys:err?;*OPC?");
        row("tabs", "\t:ACQ:COUN\t4\t", 0, ":ACQ:COUN 4");
        row("numbers", ":A 1, -2.5e-3 ,+.5,MAX,7.", 0, ":A 1,-2.5e-3,+.5,MAX,7.");
        row("string with ;", ":SIM:SIGN \"sine freq=1e3; dc level=1\"", 0,
            ":SIM:SIGN \"sine freq=1e3; dc level=1\"");
        row("single quotes doubled", ":A 'it''s'", 0, ":A \"it's\"");
        row("empty", "", 0, "");
        row("only separators", ";;;\r\n", 0, "");
        row("query then arg", ":WAV:POIN? MAX", 0, ":WAV:POIN? MAX");
        row("mnemonic 12", ":ABCDEFGHIJKL", 0, ":ABCDEFGHIJKL");
        row("six deep", ":A:B:C:D:E:F", 0, ":A:B:C:D:E:F");
        // malformed: the commands before the error stay
        row("junk after header", ":WAV:DATA?x", -111, "");
        row("bad unit start", "*IDN?;@", -102, "*IDN?");
        row("lone colon", ":", -102, "");
        row("trailing colon", ":A:", -102, "");
        row("double colon", "::A", -102, "");
        row("too deep", ":A:B:C:D:E:F:G", -102, "");
        row("empty argument", ":A 1,,2", -109, "");
        row("trailing comma", ":A 1,", -109, "");
        row("missing comma", ":A 1 2", -103, "");
        row("unterminated string", ":A \"abc", -151, "");
        row("block argument", ":A #15hello", -168, "");
        row("mnemonic too long", ":ABCDEFGHIJKLM", -112, "");
        row("two dots", ":A 1.2.3", -121, "");
        row("bare exponent", ":A 1e", -121, "");
        row("number with suffix", ":A 10kHz", 0, ":A 10kHz");
        row("suffix after a blank", ":A 5E-3 S,1EX", 0, ":A 5E-3S,1EX");
        row("suffix too long", ":A 1ABCDEFGHIJKLM", -134, "");
        row("digit after suffix", ":A 1MV2", -121, "");
        row("bare exponent sign", ":A 1e+", -121, "");
        row("sign only", ":A -", -121, "");
        row("control char", QByteArray(":A \x01", 4), -101, "");
        row("NUL header", QByteArray("*CLS;\0", 6), -102, "*CLS");
        row("too many args", ":A 1,2,3,4,5,6,7,8,9", -108, "");
        row("star alone", "*", -102, "");
        row("too long", QByteArray(5000, 'A'), -223, "");
        row("too many units", QByteArray("*CLS;").repeated(33), -223,
            QByteArray("*CLS;").repeated(32).chopped(1).constData());
    }
    void lines()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, error);
        QFETCH(QByteArray, parsed);
        int ret = qaio_scpi_parse(line.constData(), size_t(line.size()), prog.get());
        QCOMPARE(ret, error);
        QCOMPARE(prog->error, error);
        QCOMPARE(render(*prog), parsed);
        if (error)
            QVERIFY(QByteArray(prog->error_msg).startsWith(qaio_scpi_error_message(error)));
    }

    void badArguments()
    {
        QCOMPARE(qaio_scpi_parse("*IDN?", 5, nullptr), int(QAIO_EINVAL));
        QCOMPARE(qaio_scpi_parse(nullptr, 1, prog.get()), int(QAIO_EINVAL));
        QCOMPARE(qaio_scpi_parse(nullptr, 0, prog.get()), 0);
        QCOMPARE(prog->count, 0u);
        QVERIFY(!qaio_scpi_match(nullptr, ":A"));
    }

    void matching_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("pattern");
        QTest::addColumn<bool>("match");
        auto row = [](QByteArray l, const char *p, bool m) {
            QTest::newRow(l + " ~ " + p) << l << QByteArray(p) << m;
        };
        row(":WAV:DATA?", ":WAVeform:DATA", true);
        row(":waveform:data?", ":WAVeform:DATA", true);
        row(":WAVE:DATA?", ":WAVeform:DATA", false); // neither short nor long
        row(":WAV?", ":WAVeform:DATA", false);
        row(":WAV:DATA:X?", ":WAVeform:DATA", false);
        row(":SYST:ERR?", ":SYSTem:ERRor[:NEXT]", true);
        row(":SYST:ERR:NEXT?", ":SYSTem:ERRor[:NEXT]", true);
        row(":SYST:ERR:COUN?", ":SYSTem:ERRor[:NEXT]", false);
        row(":TRIG:LEV 1", ":TRIGger[:EDGE]:LEVel", true);
        row(":TRIG:EDGE:LEV 1", ":TRIGger[:EDGE]:LEVel", true);
        row("*idn?", "*IDN", true);
        row("*IDN?", ":IDN", false);
        row(":IDN?", "*IDN", false);
        row(":MEAS:VOLT3?", ":MEASure:VOLTage3", true);
        row(":MEAS:VOLT?", ":MEASure:VOLTage3", false);
    }
    void matching()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, pattern);
        QFETCH(bool, match);
        QCOMPARE(qaio_scpi_parse(line.constData(), size_t(line.size()), prog.get()), 0);
        QCOMPARE(prog->count, 1u);
        QCOMPARE(qaio_scpi_match(&prog->cmd[0], pattern.constData()), match);
    }

    void words()
    {
        QVERIFY(qaio_scpi_word_match("CHAN1", "CHANnel1"));
        QVERIFY(qaio_scpi_word_match("channel2", "CHANnel2"));
        QVERIFY(!qaio_scpi_word_match("CHAN", "CHANnel1"));
        QVERIFY(!qaio_scpi_word_match("CHAN2", "CHANnel1"));
        QVERIFY(qaio_scpi_word_match("aver", "AVERage"));
        QVERIFY(!qaio_scpi_word_match("avera", "AVERage"));
        QVERIFY(!qaio_scpi_word_match(nullptr, "AVERage"));
    }

    void numbers()
    {
        QByteArray l = ":A 2.5e3,MIN,max,DEF,\"7\",FOO";
        QCOMPARE(qaio_scpi_parse(l.constData(), size_t(l.size()), prog.get()), 0);
        const qaio_scpi_command *c = &prog->cmd[0];
        double v = 0;
        QCOMPARE(qaio_scpi_arg_number(c, 0, 1, 9, 5, &v), 0);
        QCOMPARE(v, 2500.0);
        QCOMPARE(qaio_scpi_arg_number(c, 1, 1, 9, 5, &v), 0);
        QCOMPARE(v, 1.0);
        QCOMPARE(qaio_scpi_arg_number(c, 2, 1, 9, 5, &v), 0);
        QCOMPARE(v, 9.0);
        QCOMPARE(qaio_scpi_arg_number(c, 3, 1, 9, 5, &v), 0);
        QCOMPARE(v, 5.0);
        QCOMPARE(qaio_scpi_arg_number(c, 4, 1, 9, 5, &v), int(QAIO_SCPI_ERR_DATA_TYPE));
        QCOMPARE(qaio_scpi_arg_number(c, 5, 1, 9, 5, &v), int(QAIO_SCPI_ERR_DATA_TYPE));
        QCOMPARE(qaio_scpi_arg_number(c, 6, 1, 9, 5, &v), int(QAIO_SCPI_ERR_MISSING_PARAM));
        // Suffixes (IEEE 488.2 7.7.3): M is milli but MHZ and MOHM are mega,
        // MA alone is mega, a whole unit wins over a multiplier (A ampere).
        struct {
            const char *text;
            double v;
            int err;
        } sfx[] = {
            {"1MHZ", 1e6, 0},    {"1mhz", 1e6, 0},      {"100mV", 0.1, 0},   {"10US", 1e-5, 0},
            {"5E-3S", 5e-3, 0},  {"2KHZ", 2e3, 0},      {"3MOHM", 3e6, 0},   {"1MA", 1e6, 0},
            {"4MS", 4e-3, 0},    {"2.5GHZ", 2.5e9, 0},  {"1A", 1, 0},        {"7NS", 7e-9, 0},
            {"1EX", 1e18, 0},    {"1e3V", 1e3, 0},      {"1 V", 1, 0},       {"6PCT", 6, 0},
            {"1M", 1e-3, 0},     {"1FOO", 0, QAIO_SCPI_ERR_INVALID_SUFFIX},
            {"1XHZ", 0, QAIO_SCPI_ERR_INVALID_SUFFIX},
        };
        for (auto &x : sfx) {
            QByteArray ln = QByteArray(":A ") + x.text;
            QCOMPARE(qaio_scpi_parse(ln.constData(), size_t(ln.size()), prog.get()), 0);
            double got = 0;
            QCOMPARE(qaio_scpi_arg_number(&prog->cmd[0], 0, 0, 1, 0, &got), x.err);
            if (!x.err)
                QVERIFY2(std::fabs(got - x.v) <= 1e-12 * std::fabs(x.v), x.text);
        }
        QCOMPARE(QByteArray(qaio_scpi_error_message(-131)), QByteArray("Invalid suffix"));
        QCOMPARE(QByteArray(qaio_scpi_error_message(-113)), QByteArray("Undefined header"));
        QCOMPARE(QByteArray(qaio_scpi_error_message(0)), QByteArray("No error"));
        QCOMPARE(QByteArray(qaio_scpi_error_message(-350)), QByteArray("Queue overflow"));
        QCOMPARE(QByteArray(qaio_scpi_error_message(-410)), QByteArray("Query INTERRUPTED"));
        QCOMPARE(QByteArray(qaio_scpi_error_message(1)), QByteArray("Unknown error"));
    }

    void randomBytesNeverCrash()
    {
        // A poor man's fuzz run (ASan/UBSan builds check every access): random
        // lines over an alphabet weighted towards SCPI's own characters.
        std::mt19937 rng(12345);
        const char alphabet[] = ":;*?,\"'# \t\r\n.+-eE0123456789ABCDEFGHIJKLMNOPabcxyz_\x01\x7f\xff";
        QByteArray line;
        for (int iter = 0; iter < 20000; iter++) {
            int len = int(rng() % 300);
            line.resize(len);
            for (int i = 0; i < len; i++)
                line[i] = alphabet[rng() % (sizeof alphabet - 1)];
            int err = qaio_scpi_parse(line.constData(), size_t(line.size()), prog.get());
            QVERIFY(err == 0 || (err <= -100 && err > -500));
            QVERIFY(prog->count <= QAIO_SCPI_MAX_COMMANDS);
            for (unsigned i = 0; i < prog->count; i++) {
                QVERIFY(prog->cmd[i].depth >= 1 && prog->cmd[i].depth <= QAIO_SCPI_MAX_DEPTH);
                for (unsigned a = 0; a < prog->cmd[i].nargs; a++)
                    QVERIFY(strlen(prog->cmd[i].arg[a].text) <= size_t(len));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestScpiParser)
#include "test_scpi_parser.moc"
