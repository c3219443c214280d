// Komnata in Russian: the main flow (sign-up, lobby, room, private message, files) in browsers
// whose language is Russian, with every page scanned for words left in English; and the
// language switch, kept on the account across devices and in a cookie before sign-in.
import { type Browser, expect, type Page } from "@playwright/test";
import { hydrated, lobbyList, PASSWORD, signUp, test, uniqueName } from "./helpers";

/** A new browser whose language is Russian (Accept-Language: ru-RU), and a page in it that logs what next-intl misses. */
async function russianPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (/MISSING_MESSAGE|IntlError|FORMATTING_ERROR/.test(m.text())) problems.push(m.text());
  });
  return { page, problems };
}

async function signUpInRussian(page: Page, username: string): Promise<void> {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Добро пожаловать в Komnata" })).toBeVisible();
  await page.getByLabel("Имя пользователя").fill(username);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Создать аккаунт" }).click();
  await expect(page.getByRole("main").getByRole("heading", { name: "Комнаты", level: 2 })).toBeVisible();
}

/**
 * Latin words a person could read or hear on the page (text, accessible names, placeholders,
 * titles, the page title), once the names this test gave things are taken out. People's own
 * words (room names, messages, file names: other tests' too) are marked `translate="no"` and
 * left out.
 */
async function englishOn(page: Page, ours: string[]): Promise<string[]> {
  const { texts, theirs } = await page.evaluate(() => {
    const out: string[] = [document.title];
    // people's words, also where a sentence quotes them ("Files shared in #<room>")
    const people = [...document.querySelectorAll('[translate="no"]')].map((el) => el.textContent?.trim() ?? "");
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest('script, style, svg, noscript, [translate="no"]')) out.push(node.textContent ?? "");
    }
    for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], [alt]")) {
      if (el.closest('[translate="no"]')) continue;
      for (const name of ["aria-label", "placeholder", "title", "alt"]) out.push(el.getAttribute(name) ?? "");
    }
    return { texts: out, theirs: people.filter(Boolean) };
  });
  // the product's name, key names, a file's type and extension: the same in every language
  const allowed = [
    ...ours,
    ...theirs,
    "Komnata",
    "Shift+Enter",
    "Enter",
    "Ctrl",
    "Alt",
    "Shift",
    "Esc",
    "application/pdf",
    "PDF",
    "English",
  ];
  let all = texts.join("\n");
  for (const word of allowed.sort((a, b) => b.length - a.length)) all = all.split(word).join(" ");
  return [...new Set(all.match(/[A-Za-z]{2,}/g) ?? [])];
}

test("the main flow in Russian: every page in Russian, with Russian plurals, sizes and dates", async ({ browser }) => {
  const anna = await russianPage(browser);
  const boris = await russianPage(browser);
  const [annaName, borisName] = [uniqueName("анна"), uniqueName("борис")];
  const room = uniqueName("планёрка");
  const ours = [annaName, borisName, room, "отчёт.pdf"];

  await anna.page.goto("/login");
  await expect(anna.page.locator("html")).toHaveAttribute("lang", "ru");
  expect(await englishOn(anna.page, ours)).toEqual([]);
  await signUpInRussian(anna.page, annaName);
  await expect(anna.page).toHaveTitle("Главная · Komnata");
  expect(await englishOn(anna.page, ours)).toEqual([]);

  // a room, a message and a file
  await anna.page.getByLabel("Название комнаты").fill(room);
  await anna.page.getByLabel("Тема").fill("ежедневная");
  await anna.page.getByRole("button", { name: "Создать комнату" }).click();
  await expect(anna.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  await expect(anna.page.getByText("1 участник · 1 в сети").filter({ visible: true })).toBeVisible();
  await expect(anna.page.getByText(`Здесь начинается #${room}.`)).toBeVisible();
  const composer = anna.page.getByRole("textbox", { name: "Сообщение", exact: true });
  await composer.fill("Всем привет");
  await composer.press("Enter");
  await anna.page
    .getByLabel("Файлы для отправки")
    .setInputFiles({ name: "отчёт.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(2_500_000, 1) });
  await expect(anna.page.getByTestId("shared-file")).toContainText("2,4 МБ");

  // Boris finds it in the lobby, joins, and sees both, in Russian
  await signUpInRussian(boris.page, borisName);
  const roomRow = lobbyList(boris.page, "Комнаты").getByRole("link", { name: new RegExp(`^${room}`) });
  await expect(roomRow).toContainText("1 участник");
  await expect(roomRow).toContainText("только что");
  expect(await englishOn(boris.page, ours)).toEqual([]);
  await roomRow.click();
  await expect(boris.page.getByRole("heading", { name: `# ${room}` })).toBeVisible();
  // the room's own count (the lobby lists other rooms with as many people)
  await expect(boris.page.getByText("2 участника · 2 в сети").filter({ visible: true })).toBeVisible();
  await expect(anna.page.getByText("2 участника · 2 в сети").filter({ visible: true })).toBeVisible();
  const history = boris.page.getByRole("log", { name: "История сообщений" });
  await expect(history.getByText("Всем привет")).toBeVisible();
  await expect(history.getByTestId("shared-file")).toContainText("отчёт.pdf");
  await expect(history.getByTestId("shared-file")).toContainText("2,4 МБ");
  expect(await englishOn(boris.page, ours)).toEqual([]);

  // a private message from the member list; unread for Anna in her lobby, counted in Russian
  await boris.page.getByRole("link", { name: `Написать ${annaName}` }).click();
  await expect(boris.page.getByText(`Здесь начинается ваша переписка с @${annaName}.`)).toBeVisible();
  const privateBox = boris.page.getByRole("textbox", { name: "Сообщение", exact: true });
  for (const text of ["Привет, Анна", "Посмотри отчёт"]) {
    await privateBox.fill(text);
    await privateBox.press("Enter");
    await expect(boris.page.getByRole("log").getByText(text)).toBeVisible();
  }
  expect(await englishOn(boris.page, ours)).toEqual([]);
  await anna.page.goto("/");
  const dm = lobbyList(anna.page, "Личные сообщения").getByRole("link", { name: new RegExp(borisName) });
  await expect(dm).toContainText("2 непрочитанных сообщения");
  expect(await englishOn(anna.page, ours)).toEqual([]);

  // the Files views
  await boris.page.goto("/");
  await boris.page.getByRole("link", { name: `Файлы комнаты #${room}` }).click();
  await expect(boris.page.getByRole("heading", { name: "Общие файлы" })).toBeVisible();
  const row = boris.page.getByRole("list", { name: "Файлы" }).getByRole("listitem");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`от ${annaName}`);
  expect(await englishOn(boris.page, ours)).toEqual([]);
  await boris.page.getByLabel("Поиск файлов").fill("ОТЧЁТ");
  await expect(row).toHaveCount(1);
  await boris.page.getByLabel("Поиск файлов").fill("нет такого");
  await expect(boris.page.getByText("Нет файлов по запросу «нет такого».")).toBeVisible();
  await boris.page.goto("/files");
  await expect(boris.page.getByRole("heading", { name: "Доступные вам" })).toBeVisible();
  await expect(boris.page).toHaveTitle("Все файлы · Komnata");
  expect(await englishOn(boris.page, ours)).toEqual([]);

  // and the uploader's question before removing it
  await anna.page.goto("/files");
  await anna.page.getByRole("button", { name: "Удалить отчёт.pdf" }).click();
  await expect(anna.page.getByRole("group", { name: "Удалить отчёт.pdf?" })).toContainText("Удалить для всех?");
  expect(await englishOn(anna.page, ours)).toEqual([]);

  expect([...anna.problems, ...boris.problems]).toEqual([]);
});

test("the language chosen in the header stays with the account, on every device", async ({ browser }) => {
  const { page, username } = await signUp(browser, "polyglot");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await hydrated(page.getByLabel("Language"));
  await page.getByLabel("Language").selectOption("ru");
  await expect(page.getByRole("main").getByRole("heading", { name: "Комнаты", level: 2 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await expect(page.getByLabel("Язык")).toHaveValue("ru");

  // another device whose browser asks for English: the account's choice wins
  const laptop = await (await browser.newContext({ locale: "en-US" })).newPage();
  await laptop.goto("/login");
  await expect(laptop.getByRole("heading", { name: "Welcome to Komnata" })).toBeVisible();
  await laptop.getByLabel("Username").fill(username);
  await laptop.getByLabel("Password").fill(PASSWORD);
  await laptop.getByRole("button", { name: "Sign in" }).click();
  await expect(laptop.getByRole("main").getByRole("heading", { name: "Комнаты", level: 2 })).toBeVisible();

  // back to English there; the first device follows on its next page
  await hydrated(laptop.getByLabel("Язык"));
  await laptop.getByLabel("Язык").selectOption("en");
  await expect(laptop.getByRole("main").getByRole("heading", { name: "Rooms", level: 2 })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("main").getByRole("heading", { name: "Rooms", level: 2 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("the sign-in page has the switch too, and remembers it in this browser", async ({ browser }) => {
  const page = await (await browser.newContext({ locale: "en-US" })).newPage();
  await page.goto("/login");
  await hydrated(page.getByLabel("Language"));
  await page.getByLabel("Language").selectOption("ru");
  await expect(page.getByRole("heading", { name: "Добро пожаловать в Komnata" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: "Войти" })).toBeVisible();
  // errors are the page's own words, by the server's code
  await page.getByLabel("Имя пользователя").fill(uniqueName("никто"));
  await page.getByLabel("Пароль").fill("неверный пароль");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveText("Неверное имя пользователя или пароль.");
  // and signing up keeps the language chosen before
  await page.getByLabel("Имя пользователя").fill(uniqueName("новичок"));
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Создать аккаунт" }).click();
  await expect(page.getByRole("main").getByRole("heading", { name: "Комнаты", level: 2 })).toBeVisible();
});
