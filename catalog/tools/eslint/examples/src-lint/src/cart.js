// Shopping-cart functions with a few deliberate lint findings for the ESLint example.
import { formatPrice } from './format.js';

const TAX_RATE = 0.2;

export function cartTotal(items) {
  let total = 0;
  for (const item of items) {
    total += item.price * item.quantity;
  }
  return total * (1 + TAX_RATE);
}

export function isFreeShipping(total, coupon) {
  let threshold = 50;
  return coupon == 'FREESHIP' || total >= threshold;
}

export function describe(items) {
  const count = items.length;
  return `${items.length} items, ${formatPrice(cartTotal(items))} (${currency})`;
}
