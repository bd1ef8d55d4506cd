# The oscilloscope families: each driver against its simulator personality
# in every format it supports (test_scope_<family>), and the personalities
# against independent clients written for the real instruments
# (clients/: sigrok-cli, PyVISA with pyvisa-py, PyMeasure), each run
# against the real qaio-instrument-sim binary by clients/run_with_sim.sh.
set(QAIO_SCOPE_FAMILIES siglent_sds1000xe siglent_sds2000xp rs_rtb2000 keysight tektronix
  redpitaya rigol-ds1000z)
foreach(name ${QAIO_SCOPE_FAMILIES})
  qaio_add_test(NAME scope_${name} SOURCES test_scope_${name}.cpp
    LIBS qaio::instr ${QAIO_TEST_LIBS} TIMEOUT 180 LABELS instr)
endforeach()

# add_client_test(NAME PERSONALITY [SIM OPTIONS...] -- CLIENT ARGS...):
# {PORT} in the client's arguments is the simulator's port. A missing
# client program skips the test (exit 77).
function(add_client_test name personality)
  qaio_add_test(NAME client_${name}
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/clients/run_with_sim.sh
      $<TARGET_FILE:qaio-instrument-sim> ${personality} ${ARGN}
    SKIP_RETURN_CODE 77 LABELS apps)
endfunction()

# Debian's python3-pyvisa, -pyvisa-py and -pymeasure live in the system
# interpreter, which a pyenv or venv python3 on PATH would not see.
find_program(QAIO_SYSTEM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT QAIO_SYSTEM_PYTHON3)
  set(QAIO_SYSTEM_PYTHON3 python3)
endif()

# Keysight InfiniiVision: the programmer's guide's PyVISA example, and
# PyMeasure's KeysightDSOX1102G driver.
add_client_test(keysight-3000x_pyvisa keysight-3000x --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/keysight-3000x_pyvisa.py {PORT})
add_client_test(keysight-3000x_pymeasure keysight-3000x --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/keysight-3000x_pymeasure.py {PORT})
# Tektronix MDO: Tektronix's PyVISA "waveform of channel 1" example.
add_client_test(tektronix-mdo_pyvisa tektronix-mdo --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/tektronix-mdo_pyvisa.py {PORT})

# The manuals' own example programs through PyVISA (pyvisa-py backend),
# on the simulator's default input: a 1 V, 10 kHz sine.
add_client_test(siglent_sds1000xe_pyvisa siglent-sds1000xe --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/siglent-sds1000xe_pyvisa.py {PORT})
add_client_test(siglent_sds2000xp_pyvisa siglent-sds2000xp --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/siglent-sds2000xp_pyvisa.py {PORT})
# libsigrok's hameg-hmo driver (sigrok-cli) against the R&S personality.
add_client_test(rs_rtb2000_sigrok rs-rtb2000 --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/sigrok_hmo_check.py {PORT})
add_client_test(rs_rtb2000_pyvisa rs-rtb2000 --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/rs-rtb2000_pyvisa.py {PORT})

# Red Pitaya STEMlab 125-14: the documentation's acquisition example.
add_client_test(redpitaya_pyvisa redpitaya --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/redpitaya_pyvisa.py {PORT})
# Rigol DS1000Z: sigrok-cli (libsigrok's rigol-ds driver) and the
# programming guide's screen and memory read-outs.
add_client_test(rigol-ds1000z_sigrok rigol-ds1000z --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/sigrok_check.py {PORT})
add_client_test(rigol-ds1000z_pyvisa rigol-ds1000z --
  ${QAIO_SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/clients/rigol-ds1000z_pyvisa.py {PORT})
