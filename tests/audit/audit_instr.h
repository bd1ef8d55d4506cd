// The bad-input audit of the instrument library's headers: the objects
// its rows call functions on (made by main.cpp), beside audit.h's.
#pragma once

#include "audit.h"

#include <qaio/instr.h>

// Test-thread only: instruments, the SCPI pair, and plain objects of the
// instrument library.
struct Instr {
    qaio_instrument *scope = nullptr, *na = nullptr, *analyzer = nullptr, *scpi = nullptr;
    qaio_continuous *cont = nullptr;
    qaio_scpi_server *server = nullptr;
    qaio_averager *mean = nullptr, *spectrum = nullptr;
    qaio_trace *trace = nullptr;
    qaio_signal *signal = nullptr;
};
extern Instr I;
