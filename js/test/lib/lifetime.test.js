// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { lifetime } from "../../src/lib/lifetime.js";
import { FakeModel } from "../fake-model.js";

describe("lifetime", () => {
  it("undoes listeners, trait bindings and added steps, last first, once", () => {
    const life = lifetime();
    const model = new FakeModel({ n: 1 });
    const node = document.createElement("button");
    const seen = [];
    const order = [];
    life.listen(node, "click", () => seen.push("click"));
    life.trait(model, "n", (n) => seen.push(n));
    life.add(() => order.push("first"));
    life.add(() => order.push("second"));
    node.click();
    model.set("n", 2);
    expect(seen).toEqual(["click", 2]);
    const end = life.end; // usable detached, as views return it
    end();
    end();
    expect(order).toEqual(["second", "first"]);
    node.click();
    model.set("n", 3);
    expect(seen).toEqual(["click", 2]);
    expect(model.listenerCount()).toBe(0);
  });
});
