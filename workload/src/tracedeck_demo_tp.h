/*
 * Tracepoint provider of the Tracedeck demo workload (LTTng-UST 2.13 API).
 *
 * The fields are deliberately varied so that a CTF decoder meets most field classes:
 * unsigned and signed integers of 8/16/32/64 bits, a hex-displayed integer, a network
 * byte order integer, enums, a string, a double, a fixed array and a variable sequence.
 * The first fields of each event are the contract other modules rely on:
 *   request_begin(id, path)  request_end(id, status, latency_ns)  io(op, fd, size, latency_ns)
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER tracedeck_demo

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./tracedeck_demo_tp.h"

#if !defined(TRACEDECK_DEMO_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define TRACEDECK_DEMO_TP_H

#include <stdint.h>
#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_ENUM(tracedeck_demo, http_method,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("GET", 0)
		lttng_ust_field_enum_value("POST", 1)
		lttng_ust_field_enum_value("PUT", 2)
		lttng_ust_field_enum_value("DELETE", 3)
	)
)

LTTNG_UST_TRACEPOINT_ENUM(tracedeck_demo, io_op,
	LTTNG_UST_TP_ENUM_VALUES(
		lttng_ust_field_enum_value("read", 0)
		lttng_ust_field_enum_value("write", 1)
		lttng_ust_field_enum_value("fsync", 2)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(tracedeck_demo, request_begin,
	LTTNG_UST_TP_ARGS(
		uint64_t, id,
		const char *, path,
		int, method,
		uint16_t, worker,
		const uint8_t *, client_addr,
		uint16_t, client_port,
		uint32_t, flags
	),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_string(path, path)
		lttng_ust_field_enum(tracedeck_demo, http_method, int, method, method)
		lttng_ust_field_integer(uint16_t, worker, worker)
		lttng_ust_field_array(uint8_t, client_addr, client_addr, 4)
		lttng_ust_field_integer_network(uint16_t, client_port, client_port)
		lttng_ust_field_integer_hex(uint32_t, flags, flags)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(tracedeck_demo, request_end,
	LTTNG_UST_TP_ARGS(
		uint64_t, id,
		int, status,
		uint64_t, latency_ns,
		uint32_t, bytes_sent,
		uint8_t, slow,
		double, latency_ms
	),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_integer(uint64_t, id, id)
		lttng_ust_field_integer(int, status, status)
		lttng_ust_field_integer(uint64_t, latency_ns, latency_ns)
		lttng_ust_field_integer(uint32_t, bytes_sent, bytes_sent)
		lttng_ust_field_integer(uint8_t, slow, slow)
		lttng_ust_field_float(double, latency_ms, latency_ms)
	)
)

LTTNG_UST_TRACEPOINT_EVENT(tracedeck_demo, io,
	LTTNG_UST_TP_ARGS(
		int, op,
		int, fd,
		uint64_t, size,
		uint64_t, latency_ns,
		int64_t, ret,
		int8_t, err,
		const uint8_t *, head,
		uint8_t, head_len
	),
	LTTNG_UST_TP_FIELDS(
		lttng_ust_field_enum(tracedeck_demo, io_op, int, op, op)
		lttng_ust_field_integer(int, fd, fd)
		lttng_ust_field_integer(uint64_t, size, size)
		lttng_ust_field_integer(uint64_t, latency_ns, latency_ns)
		lttng_ust_field_integer(int64_t, ret, ret)
		lttng_ust_field_integer(int8_t, err, err)
		lttng_ust_field_sequence_hex(uint8_t, head, head, uint8_t, head_len)
	)
)

#endif /* TRACEDECK_DEMO_TP_H */

#include <lttng/tracepoint-event.h>
