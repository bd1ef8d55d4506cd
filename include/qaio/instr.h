/** qaio/instr.h - libqaio-instr, the instrument models on qaio: a simulated
 * scope, a spectrum analyzer over any record source, a simulated network
 * analyzer, the averaging acquisition engine, windows and the FFT, and
 * SCPI: a parser, a server for the simulated scope and a client driver.
 * Link with qaio-instr (which links qaio and FFTW3f or KissFFT).
 * @file
 * @ingroup instr
 */
/** @defgroup instr libqaio-instr: instruments
 * @{ */
#ifndef QAIO_INSTR_H
#define QAIO_INSTR_H

#include "qaio/instr/trace.h"
#include "qaio/instr/signal.h"
#include "qaio/instr/window.h"
#include "qaio/instr/fft.h"
#include "qaio/instr/averager.h"
#include "qaio/instr/spectrum.h"
#include "qaio/instr/instrument.h"
#include "qaio/instr/acquisition.h"
#include "qaio/instr/scope.h"
#include "qaio/instr/measure.h"
#include "qaio/instr/analyzer.h"
#include "qaio/instr/na.h"
#include "qaio/instr/scpi_parser.h"
#include "qaio/instr/scpi_server.h"
#include "qaio/instr/scpi.h"
#include "qaio/instr/csv.h"

/** @} */
#endif
