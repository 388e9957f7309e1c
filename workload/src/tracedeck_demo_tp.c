/* Instantiates the probes of the demo provider, linked statically into the binary. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "tracedeck_demo_tp.h"
