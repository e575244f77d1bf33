// Site behaviour: menus, switcher.
