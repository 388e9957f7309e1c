/*
 * tracedeck-notify: prints LTTng trigger notifications as JSON lines.
 *
 * No LTTng command-line tool receives notifications (lttng-facts.md §7), so Tracedeck runs
 * this small liblttng-ctl client and reads its stdout. Usage:
 *
 *   tracedeck-notify TRIGGER_NAME...
 *
 * It subscribes to the condition of each named trigger (they must already exist) and prints:
 *   {"type":"ready","subscribed":["name",...],"missing":["name",...]}
 *   {"type":"notification","recv_ts":1795677134.854588928,"trigger":"name","condition_type":105,"captures":[1,"x",2.5,null]}
 *   {"type":"dropped"}        notifications were dropped by the session daemon
 *   {"type":"closed"}         the session daemon went away (exit code 2)
 *   {"type":"error","message":"..."}                               (exit code 1)
 * A removed trigger just stops producing notifications: LTTng does not tell subscribers.
 * It targets the same session daemon as `lttng` would (root: global; others: $LTTNG_HOME).
 */
#include <lttng/lttng.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void print_json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		default:
			if (*p < 0x20)
				printf("\\u%04x", *p);
			else
				putchar(*p);
		}
	}
	putchar('"');
}

static void print_value(const struct lttng_event_field_value *v)
{
	uint64_t u;
	int64_t s;
	double d;
	const char *str;
	unsigned int len;

	if (!v) {
		fputs("null", stdout);
		return;
	}
	switch (lttng_event_field_value_get_type(v)) {
	case LTTNG_EVENT_FIELD_VALUE_TYPE_UNSIGNED_INT:
	case LTTNG_EVENT_FIELD_VALUE_TYPE_UNSIGNED_ENUM:
		if (lttng_event_field_value_unsigned_int_get_value(v, &u) == LTTNG_EVENT_FIELD_VALUE_STATUS_OK) {
			/* Beyond 2^53 a JSON number loses precision: such values go out as strings. */
			if (u > 9007199254740991ULL)
				printf("\"%llu\"", (unsigned long long) u);
			else
				printf("%llu", (unsigned long long) u);
			return;
		}
		break;
	case LTTNG_EVENT_FIELD_VALUE_TYPE_SIGNED_INT:
	case LTTNG_EVENT_FIELD_VALUE_TYPE_SIGNED_ENUM:
		if (lttng_event_field_value_signed_int_get_value(v, &s) == LTTNG_EVENT_FIELD_VALUE_STATUS_OK) {
			if (s > 9007199254740991LL || s < -9007199254740991LL)
				printf("\"%lld\"", (long long) s);
			else
				printf("%lld", (long long) s);
			return;
		}
		break;
	case LTTNG_EVENT_FIELD_VALUE_TYPE_REAL:
		if (lttng_event_field_value_real_get_value(v, &d) == LTTNG_EVENT_FIELD_VALUE_STATUS_OK) {
			printf("%.17g", d);
			return;
		}
		break;
	case LTTNG_EVENT_FIELD_VALUE_TYPE_STRING:
		if (lttng_event_field_value_string_get_value(v, &str) == LTTNG_EVENT_FIELD_VALUE_STATUS_OK) {
			print_json_string(str);
			return;
		}
		break;
	case LTTNG_EVENT_FIELD_VALUE_TYPE_ARRAY:
		if (lttng_event_field_value_array_get_length(v, &len) == LTTNG_EVENT_FIELD_VALUE_STATUS_OK) {
			putchar('[');
			for (unsigned int i = 0; i < len; i++) {
				const struct lttng_event_field_value *e = NULL;
				if (i)
					putchar(',');
				/* An unavailable element (e.g. a context the app lacks) is null. */
				if (lttng_event_field_value_array_get_element_at_index(v, i, &e) != LTTNG_EVENT_FIELD_VALUE_STATUS_OK)
					e = NULL;
				print_value(e);
			}
			putchar(']');
			return;
		}
		break;
	default:
		break;
	}
	fputs("null", stdout);
}

static void print_error(const char *msg)
{
	fputs("{\"type\":\"error\",\"message\":", stdout);
	print_json_string(msg);
	fputs("}\n", stdout);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct lttng_triggers *triggers = NULL;
	unsigned int count = 0;
	int subscribed_any = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s TRIGGER_NAME...\n", argv[0]);
		return 64;
	}
	/* The parent reads our stdout; if it goes away, die quietly rather than on SIGPIPE mid-line. */
	signal(SIGPIPE, SIG_DFL);

	struct lttng_notification_channel *ch = lttng_notification_channel_create(lttng_session_daemon_notification_endpoint);
	if (!ch) {
		print_error("Cannot connect to the session daemon's notification endpoint");
		return 1;
	}
	enum lttng_error_code ret = lttng_list_triggers(&triggers);
	if (ret != LTTNG_OK) {
		print_error(lttng_strerror(-ret));
		return 1;
	}
	lttng_triggers_get_count(triggers, &count);

	fputs("{\"type\":\"ready\",\"subscribed\":[", stdout);
	int first = 1;
	char *found = calloc((size_t) argc, 1);
	for (int a = 1; a < argc; a++) {
		for (unsigned int i = 0; i < count; i++) {
			const struct lttng_trigger *t = lttng_triggers_get_at_index(triggers, i);
			const char *name = NULL;
			if (lttng_trigger_get_name(t, &name) != LTTNG_TRIGGER_STATUS_OK || strcmp(name, argv[a]) != 0)
				continue;
			enum lttng_notification_channel_status st =
				lttng_notification_channel_subscribe(ch, lttng_trigger_get_const_condition(t));
			/* Triggers sharing a condition share one subscription. */
			if (st == LTTNG_NOTIFICATION_CHANNEL_STATUS_OK || st == LTTNG_NOTIFICATION_CHANNEL_STATUS_ALREADY_SUBSCRIBED) {
				found[a] = 1;
				subscribed_any = 1;
				if (!first)
					putchar(',');
				first = 0;
				print_json_string(argv[a]);
			}
			break;
		}
	}
	fputs("],\"missing\":[", stdout);
	first = 1;
	for (int a = 1; a < argc; a++) {
		if (found[a])
			continue;
		if (!first)
			putchar(',');
		first = 0;
		print_json_string(argv[a]);
	}
	fputs("]}\n", stdout);
	fflush(stdout);
	free(found);
	if (!subscribed_any) {
		lttng_triggers_destroy(triggers);
		lttng_notification_channel_destroy(ch);
		return 3;
	}

	for (;;) {
		struct lttng_notification *n = NULL;
		enum lttng_notification_channel_status st = lttng_notification_channel_get_next_notification(ch, &n);
		if (st == LTTNG_NOTIFICATION_CHANNEL_STATUS_NOTIFICATIONS_DROPPED) {
			fputs("{\"type\":\"dropped\"}\n", stdout);
			fflush(stdout);
			continue;
		}
		if (st == LTTNG_NOTIFICATION_CHANNEL_STATUS_INTERRUPTED)
			continue;
		if (st == LTTNG_NOTIFICATION_CHANNEL_STATUS_CLOSED) {
			fputs("{\"type\":\"closed\"}\n", stdout);
			fflush(stdout);
			return 2;
		}
		if (st != LTTNG_NOTIFICATION_CHANNEL_STATUS_OK) {
			print_error("Failed to receive a notification");
			return 1;
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		const struct lttng_trigger *t = lttng_notification_get_trigger(n);
		const struct lttng_condition *c = lttng_notification_get_condition(n);
		const struct lttng_evaluation *ev = lttng_notification_get_evaluation(n);
		const char *name = NULL;
		if (!t || lttng_trigger_get_name(t, &name) != LTTNG_TRIGGER_STATUS_OK)
			name = "";
		printf("{\"type\":\"notification\",\"recv_ts\":%lld.%09ld,\"trigger\":", (long long) ts.tv_sec, ts.tv_nsec);
		print_json_string(name);
		printf(",\"condition_type\":%d,\"captures\":", (int) lttng_condition_get_type(c));
		const struct lttng_event_field_value *captures = NULL;
		if (lttng_condition_get_type(c) == LTTNG_CONDITION_TYPE_EVENT_RULE_MATCHES &&
				lttng_evaluation_event_rule_matches_get_captured_values(ev, &captures) == LTTNG_EVALUATION_EVENT_RULE_MATCHES_STATUS_OK)
			print_value(captures);
		else
			fputs("[]", stdout);
		fputs("}\n", stdout);
		fflush(stdout);
		lttng_notification_destroy(n);
	}
}
