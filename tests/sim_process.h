// The real qaio-instrument-sim binary as a test's instrument. Tests that
// include this are compiled with QAIO_SIM_PATH (tests/scpi.cmake, gui.cmake).
#pragma once

#include <QProcess>
#include <QStringList>

// Starts the simulator with --port `port` (0: a free one) and `extra`
// arguments; returns the port it printed, or 0 if it did not start.
inline int startSim(QProcess &p, const QStringList &extra = {}, int port = 0)
{
    p.setProgram(QStringLiteral(QAIO_SIM_PATH));
    p.setArguments(QStringList{"--port", QString::number(port)} + extra);
    p.start();
    if (!p.waitForStarted(10000) || !p.waitForReadyRead(10000))
        return 0;
    return p.readLine().trimmed().toInt();
}
