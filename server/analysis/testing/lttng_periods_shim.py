"""Runs lttng-analyses 0.6.1's period commands with one fix for pyparsing 3.

With pyparsing 3, the parent of a nested period ("child(parent):...") is found under
period-info's 'id' result, not under 'parent-name': lttng-analyses then fails with
"Cannot parse period definition expression: 'id'". Everything else is lttng-analyses'
own code. Usage: python3 lttng_periods_shim.py {log|top|stats|freq} ARGS... TRACE

With --expose-aggregated-log (log only), the aggregated log that `--select` asks for,
which lttng-analyses builds but prints only in text mode, is appended to the MI result
too; its parent captures, a list of (name, value) tuples in lttng-analyses, are written
as str() of that list (a LAMI string, like the captures column of its other logs).
"""
import sys

from lttnganalyses.cli import mi
from lttnganalyses.cli import period_parsing as pp
from lttnganalyses.cli import periods


def parse_period_def_arg(arg):
    try:
        res = pp._period_def.parseString(arg.split('/')[-1], parseAll=True)
    except Exception:
        raise pp.MalformedExpression(arg)
    name = None
    parent = None
    if 'period-info' in res:
        info = res['period-info']
        name = info['name']
        if 'parent-name' in info:
            parent = info['id'] if 'id' in info else info['parent-name'][1]
    begin = pp._expr_results_to_expression(res['begin-expr'])
    if 'end-expr' in res:
        end = pp._expr_results_to_expression(res['end-expr'])
    else:
        end = begin
    return pp.PeriodDefArgParseResults(parent, name, begin, end)


pp.parse_period_def_arg = parse_period_def_arg

def expose_aggregated_log():
    build = periods.PeriodAnalysisCommand._get_aggregated_log_table

    def build_and_append(self, *args, **kwargs):
        tables = build(self, *args, **kwargs)
        for table in tables:
            table._rows = [row._replace(
                parent_captures=mi.String(str(row.parent_captures.value)))
                for row in table.rows]
        if self._mi_mode:
            self._mi_append_result_tables(tables)
        return tables

    periods.PeriodAnalysisCommand._get_aggregated_log_table = build_and_append


if '--expose-aggregated-log' in sys.argv:
    sys.argv.remove('--expose-aggregated-log')
    expose_aggregated_log()

command = sys.argv.pop(1)
sys.argv[0] = 'lttng-period%s-mi' % command
{'log': periods.runlog_mi, 'top': periods.runtop_mi,
 'stats': periods.runstats_mi, 'freq': periods.runfreq_mi}[command]()
