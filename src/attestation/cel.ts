/**
 * CEL evaluation for policies, with a budget per expression.
 *
 * @bufbuild/cel has no cost limit, so one is added here: every comprehension (`all`, `exists`,
 * `exists_one`, `map`, `filter`) gets its loop condition wrapped in a counting call. CEL has no
 * other loops and no recursion, so outside comprehensions an expression's work is bounded by its
 * own size times the size of its input; the iteration count is what grows without bound (a nested
 * `all` over a list of n items runs n^k times). Once the budget is spent every loop condition
 * answers false, so evaluation winds down at once and the check fails saying so. A wall-clock
 * budget backs up the count for slow single iterations.
 */
import { celEnv, celFunc, CelScalar, isCelError, parse as parseCel, plan as planCel } from '@bufbuild/cel';
import { CEL_MAX_ITERATIONS, CEL_MAX_MILLISECONDS } from './limits.js';


type ParsedExpr = ReturnType<typeof parseCel>;
type Expr = NonNullable<ParsedExpr['expr']>;

const BUDGET_FUNCTION = 'cilock_budget';

interface Budget {
  iterations: number;
  deadline: number;
  exceeded?: string;
}

let budget: Budget = { iterations: 0, deadline: Infinity };

const env = celEnv({
  funcs: [
    celFunc(BUDGET_FUNCTION, [CelScalar.DYN], CelScalar.DYN, (condition) => {
      if (budget.exceeded) return false;
      budget.iterations += 1;
      if (budget.iterations > CEL_MAX_ITERATIONS) budget.exceeded = `more than ${CEL_MAX_ITERATIONS} comprehension iterations`;
      else if (budget.iterations % 1024 === 0 && performance.now() > budget.deadline) budget.exceeded = `more than ${CEL_MAX_MILLISECONDS} ms`;
      return budget.exceeded ? false : condition;
    }),
  ],
});

/** Wraps every comprehension's loop condition in the budget call (walks the tree with an explicit stack). */
function withBudget(parsed: ParsedExpr): ParsedExpr {
  const stack: (Expr | undefined)[] = [parsed.expr];
  for (let expr = stack.pop(); stack.length > 0 || expr !== undefined; expr = stack.pop()) {
    if (expr === undefined) continue;
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'selectExpr':
        stack.push(kind.value.operand);
        break;
      case 'callExpr':
        stack.push(kind.value.target, ...kind.value.args);
        break;
      case 'listExpr':
        stack.push(...kind.value.elements);
        break;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') stack.push(entry.keyKind.value);
          stack.push(entry.value);
        }
        break;
      case 'comprehensionExpr': {
        const comprehension = kind.value;
        stack.push(comprehension.iterRange, comprehension.accuInit, comprehension.loopCondition, comprehension.loopStep, comprehension.result);
        // A well-formed call node from the parser itself, its argument swapped for the condition.
        const call = parseCel(`${BUDGET_FUNCTION}(true)`).expr;
        if (call?.exprKind.case !== 'callExpr' || comprehension.loopCondition === undefined) break;
        call.exprKind.value.args[0] = comprehension.loopCondition;
        comprehension.loopCondition = call;
        break;
      }
      default:
        break;
    }
  }
  return parsed;
}

const converted = new WeakMap<object, unknown>();

/**
 * JSON → CEL input: objects become maps and integers become CEL ints, so `size(x) <= 10` and
 * `x == 0` type-check. Iterative, so depth cannot overflow the stack; cached per body because
 * every expression of a step sees the same one.
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && converted.has(value)) return converted.get(value);
  const convert = (item: unknown, pending: [unknown, (done: unknown) => void][]): unknown => {
    if (typeof item === 'number' && Number.isSafeInteger(item)) return BigInt(item);
    if (Array.isArray(item)) {
      const out: unknown[] = new Array(item.length);
      item.forEach((child, index) => pending.push([child, (done) => (out[index] = done)]));
      return out;
    }
    if (typeof item === 'object' && item !== null) {
      const out = new Map<string, unknown>();
      for (const [key, child] of Object.entries(item)) {
        out.set(key, undefined); // keeps the key order; filled in below
        pending.push([child, (done) => out.set(key, done)]);
      }
      return out;
    }
    return item;
  };
  const pending: [unknown, (done: unknown) => void][] = [];
  const root = convert(value, pending);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) next[1](convert(next[0], pending));
  if (typeof value === 'object' && value !== null) converted.set(value, root);
  return root;
}

export function evaluateCel(expression: string, body: unknown): { passed: boolean; detail: string } {
  budget = { iterations: 0, deadline: performance.now() + CEL_MAX_MILLISECONDS };
  try {
    const result = planCel(env, withBudget(parseCel(expression)))({ input: toCelValue(body) as never });
    if (budget.exceeded) {
      return { passed: false, detail: `${expression} exceeded the evaluation budget (${budget.exceeded}); simplify it, e.g. avoid nesting comprehensions over large lists` };
    }
    if (isCelError(result)) return { passed: false, detail: `${expression} could not be evaluated: ${result.message}` };
    if (result === true) return { passed: true, detail: `${expression} is true` };
    if (result === false) return { passed: false, detail: `${expression} is false` };
    return { passed: false, detail: `${expression} evaluated to ${String(result)}, not a bool; the expression must yield true or false` };
  } catch (error) {
    return { passed: false, detail: `${expression} could not be evaluated: ${(error as Error).message}` };
  }
}
