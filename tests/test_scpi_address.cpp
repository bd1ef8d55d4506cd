// Instrument addresses and the USBTMC transport: every address form users
// write (HOST[:PORT], VISA raw socket, VISA USB resolved through sysfs,
// usbtmc:DEVICE) parsed or refused with a reason, and a scope driven over
// a fake USBTMC device -- a pseudo-terminal in raw mode whose far end
// answers as a small qaio-dialect scope, one whole message per write, as
// the kernel's usbtmc driver returns one message per read.
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <qaio/instr.h>

#include <atomic>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace {
qaio_loop *L;

// The far end of the pty: a scope with a 64-point ramp record, REAL format.
struct FakeUsbtmc {
    int master = -1, slave = -1;
    QByteArray path;
    std::thread th;
    std::atomic<int> queries{0};
    FakeUsbtmc()
    {
        char name[128];
        if (openpty(&master, &slave, name, nullptr, nullptr))
            return;
        struct termios t;
        tcgetattr(slave, &t);
        cfmakeraw(&t);
        tcsetattr(slave, TCSANOW, &t);
        path = name;
        th = std::thread([this] { serve(); });
    }
    std::atomic<bool> stop{false};
    ~FakeUsbtmc()
    {
        stop = true;
        if (th.joinable())
            th.join();
        ::close(slave);
        ::close(master);
    }
    void answer(const QByteArray &a) { (void)!::write(master, a.constData(), size_t(a.size())); }
    void serve()
    {
        QByteArray in;
        char buf[4096];
        while (!stop) {
            struct pollfd p = {master, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0)
                return;
            in.append(buf, int(n));
            int nl;
            while ((nl = in.indexOf('\n')) >= 0) {
                QByteArray line = in.left(nl).trimmed();
                in.remove(0, nl + 1);
                if (line.contains('?'))
                    queries++;
                if (line == "*IDN?")
                    answer("qaio,usb-fake,0,1\n");
                else if (line.startsWith(":ACQ:POIN?"))
                    answer("64;1000000;AUTO;POS;CHAN1;0\n");
                else if (line.startsWith(":DIG")) {
                    QByteArray data;
                    for (int i = 0; i < 64; i++) {
                        float v = float(i) / 64;
                        data.append(reinterpret_cast<const char *>(&v), 4);
                    }
                    answer("8,0,64,1,1e-06,0,0,1,0,0;#3256" + data + "\n");
                }
            }
        }
    }
};

// A fake sysfs with one usbtmc device (vid 0x1ab1, pid 0x04ce, serial
// DS1ZA0001) whose /dev node is a link to target.
struct FakeSysfs {
    QTemporaryDir dir;
    explicit FakeSysfs(const QByteArray &target)
    {
        QDir d(dir.path());
        d.mkpath("usbdev/1-1:1.0");
        d.mkpath("class");
        d.mkpath("dev");
        write("usbdev/idVendor", "1ab1\n");
        write("usbdev/idProduct", "04ce\n");
        write("usbdev/serial", "DS1ZA0001\n");
        d.mkpath("class/usbtmc0");
        QFile::link(dir.filePath("usbdev/1-1:1.0"), dir.filePath("class/usbtmc0/device"));
        QFile::link(QString::fromUtf8(target), dir.filePath("dev/usbtmc0"));
        qputenv("QAIO_USBTMC_SYSFS", dir.filePath("class").toUtf8());
        qputenv("QAIO_USBTMC_DEV", dir.filePath("dev").toUtf8());
    }
    ~FakeSysfs()
    {
        qunsetenv("QAIO_USBTMC_SYSFS");
        qunsetenv("QAIO_USBTMC_DEV");
    }
    void write(const char *name, const char *text)
    {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    }
};
} // namespace

class TestScpiAddress : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { L = qaio_loop_get(); }

    void tcpForms()
    {
        qaio_scpi_address a;
        char msg[200];
        QCOMPARE(qaio_scpi_address_parse("scope.lab", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.host), QByteArray("scope.lab"));
        QCOMPARE(a.port, 0); // the family's default
        QCOMPARE(qaio_scpi_address_parse("10.0.0.7:5555", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.host), QByteArray("10.0.0.7"));
        QCOMPARE(a.port, 5555);
        QCOMPARE(qaio_scpi_address_parse("[::1]:5025", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.host), QByteArray("::1"));
        QCOMPARE(a.port, 5025);
        QCOMPARE(qaio_scpi_address_parse("fe80::1", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.host), QByteArray("fe80::1"));
        QCOMPARE(qaio_scpi_address_parse("TCPIP0::192.168.1.9::5025::SOCKET", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.host), QByteArray("192.168.1.9"));
        QCOMPARE(a.port, 5025);
        QCOMPARE(qaio_scpi_address_parse("tcpip::rp-f0a1b2.local::5000::socket", &a, msg, sizeof msg), 0);
        QCOMPARE(a.port, 5000);
        QVERIFY(!a.device[0]);
    }

    void refusedWithAReason()
    {
        qaio_scpi_address a;
        char msg[200];
        const char *bad[] = {"", "h:", "h:0", "h:65536", "h:50x", "h:-1", "[::1", "[::1]x",
                             "TCPIP0::h::SOCKET", "TCPIP0::h::99999::SOCKET",
                             "USB0::0x1AB1::INSTR", "GPIB0::7::INSTR", "TCPIP0::a::b::c::d::e::f"};
        for (const char *b : bad) {
            QCOMPARE(qaio_scpi_address_parse(b, &a, msg, sizeof msg), int(QAIO_EINVAL));
            QVERIFY2(msg[0], b);
        }
        QCOMPARE(qaio_scpi_address_parse("TCPIP0::10.0.0.2::hislip0::INSTR", &a, msg, sizeof msg),
                 int(QAIO_EINVAL));
        QVERIFY(strstr(msg, "HiSLIP"));
    }

    void usbResourceResolvesThroughSysfs()
    {
        FakeSysfs sys("/dev/null");
        qaio_scpi_address a;
        char msg[300];
        QCOMPARE(qaio_scpi_address_parse("USB0::0x1AB1::0x04CE::DS1ZA0001::INSTR", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.device), QDir(sys.dir.path()).filePath("dev/usbtmc0").toUtf8());
        // Decimal ids and an interface number are VISA too.
        QCOMPARE(qaio_scpi_address_parse("USB::6833::1230::DS1ZA0001::0::INSTR", &a, msg, sizeof msg), 0);
        QCOMPARE(qaio_scpi_address_parse("USB0::0x1AB1::0x04CE::OTHER::INSTR", &a, msg, sizeof msg),
                 int(QAIO_ENOENT));
        QVERIFY(strstr(msg, "OTHER"));
        QCOMPARE(qaio_scpi_address_parse("usbtmc:/dev/usbtmc3", &a, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(a.device), QByteArray("/dev/usbtmc3"));
    }

    void scopeOverAFakeUsbtmcDevice()
    {
        FakeUsbtmc dev;
        QVERIFY(!dev.path.isEmpty());
        FakeSysfs sys(dev.path);
        qaio_scpi_scope_options o;
        qaio_scpi_scope_options_default(&o);
        o.address = "USB0::0x1AB1::0x04CE::DS1ZA0001::INSTR";
        o.timeout_s = 5;
        qaio_instrument *sc = nullptr;
        char msg[300];
        QCOMPARE(qaio_scpi_scope_connect(L, &o, &sc, msg, sizeof msg), 0);
        QCOMPARE(QByteArray(qaio_scpi_scope_idn(sc)), QByteArray("qaio,usb-fake,0,1"));
        QVERIFY(QByteArray(qaio_scpi_scope_address(sc)).endsWith("dev/usbtmc0"));
        qaio_trace *rec = qaio_trace_new(0, 0);
        for (int k = 0; k < 3; k++) {
            QCOMPARE(qaio_instrument_acquire(sc, rec, 5), 0);
            QCOMPARE(rec->n, size_t(64));
            QCOMPARE(rec->y[0][32], 0.5f);
            QCOMPARE(rec->dx, 1e-6);
        }
        qaio_trace_free(rec);
        QCOMPARE(qaio_instrument_free(sc), 0);
        QVERIFY(dev.queries >= 5);
    }

    void missingDeviceIsAClearError()
    {
        qaio_scpi_scope_options o;
        qaio_scpi_scope_options_default(&o);
        o.address = "usbtmc:/nonexistent/usbtmc9";
        qaio_instrument *sc = nullptr;
        char msg[300];
        QCOMPARE(qaio_scpi_scope_connect(L, &o, &sc, msg, sizeof msg), int(QAIO_ENOENT));
        QVERIFY2(strstr(msg, "/nonexistent/usbtmc9"), msg);
        QVERIFY(!sc);
    }
};

QTEST_GUILESS_MAIN(TestScpiAddress)
#include "test_scpi_address.moc"
